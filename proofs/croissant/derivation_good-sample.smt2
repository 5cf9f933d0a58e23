; boundcheck obligation for derivation:good-sample: unsat proves the claim
; benchmark generated from python API
(set-info :status unknown)
(declare-fun K () Real)
(declare-fun L_train () Real)
(declare-fun loss_i () Real)
(declare-fun dist () Real)
(assert
 (< 0.0 K))
(assert
 (<= 0.0 L_train))
(assert
 (>= 1.0 L_train))
(assert
 (<= 0.0 loss_i))
(assert
 (>= 1.0 loss_i))
(assert
 (<= 0.0 dist))
(assert
 (<= loss_i L_train))
(assert
 (let ((?x19 (* (- 1.0) loss_i)))
(let ((?x20 (+ L_train ?x19)))
(< ?x20 0.0))))
(check-sat)
