; such an i is within 1/(2n) of z
; benchmark generated from python API
(set-info :status unknown)
(declare-fun n () Int)
(declare-fun z () Real)
(declare-fun i () Int)
(assert
 (>= n 1))
(assert
 (>= z 0.0))
(assert
 (<= z 1.0))
(assert
 (>= i 1))
(assert
 (<= i n))
(assert
 (let ((?x7 (to_real n)))
 (let ((?x23 (* ?x7 z)))
 (let ((?x58 (to_real i)))
 (let ((?x59 (- ?x58 1.0)))
 (<= ?x59 ?x23))))))
(assert
 (let ((?x58 (to_real i)))
 (let ((?x7 (to_real n)))
 (let ((?x23 (* ?x7 z)))
 (<= ?x23 ?x58)))))
(assert
 (let ((?x7 (to_real n)))
(let ((?x84 (* 2.0 ?x7)))
(let ((?x78 (/ 1.0 ?x84)))
(let (($x110 (and (<= (- z (/ (- (* 2.0 (to_real i)) 1.0) ?x84)) ?x78) (<= (- (/ (- (* 2.0 (to_real i)) 1.0) ?x84) z) ?x78))))
(not $x110))))))
(check-sat)
