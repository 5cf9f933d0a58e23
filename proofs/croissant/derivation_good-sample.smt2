; boundcheck-claim: ef41759e66effeae6213a15ec0d2e96da235cf488cdd71cb4ca237153ced34ef
; boundcheck-goal: ge Add(Symbol('L_train', real=True, finite=True, nonnegative=True), Mul(Integer(-1), Symbol('loss_i', real=True, finite=True, nonnegative=True)))
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
