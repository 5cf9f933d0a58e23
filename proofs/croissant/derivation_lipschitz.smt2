; boundcheck obligation for derivation:lipschitz: unsat proves the claim
; benchmark generated from python API
(set-info :status unknown)
(declare-fun K () Real)
(declare-fun loss_z () Real)
(declare-fun loss_i () Real)
(declare-fun dist () Real)
(assert
 (< 0.0 K))
(assert
 (<= 0.0 loss_z))
(assert
 (>= 1.0 loss_z))
(assert
 (<= 0.0 loss_i))
(assert
 (>= 1.0 loss_i))
(assert
 (<= 0.0 dist))
(assert
 (let ((?x20 (* dist K)))
 (let ((?x18 (* (- 1.0) loss_i)))
 (let ((?x19 (+ loss_z ?x18)))
 (<= ?x19 ?x20)))))
(assert
 (let ((?x20 (* dist K)))
(let ((?x22 (* (- 1.0) loss_z)))
(let ((?x23 (+ loss_i ?x22 ?x20)))
(< ?x23 0.0)))))
(check-sat)
