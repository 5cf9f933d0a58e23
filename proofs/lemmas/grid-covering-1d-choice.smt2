; i = max(1, ceil(n z)) lies in 1..n and i - 1 <= n z <= i
; benchmark generated from python API
(set-info :status unknown)
(declare-fun n () Int)
(declare-fun z () Real)
(declare-fun t () Real)
(declare-fun i () Int)
(assert
 (>= n 1))
(assert
 (>= z 0.0))
(assert
 (<= z 1.0))
(assert
 (= t (* (to_real n) z)))
(assert
 (let ((?x16 (ite (= (to_real (to_int t)) t) (ite (>= (to_int t) 1) (to_int t) 1) (+ (to_int t) 1))))
 (= i ?x16)))
(assert
 (let (($x56 (>= i 1)))
(let (($x62 (and $x56 (<= i n) (<= (- (to_real i) 1.0) t) (<= t (to_real i)))))
(not $x62))))
(check-sat)
