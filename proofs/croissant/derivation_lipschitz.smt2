; boundcheck-claim: 4ff5d91a09f250d722a2b35e9769b71da43c0215008f1d6a7a11f533841543c0
; boundcheck-goal: ge Add(Mul(Symbol('K', real=True, finite=True, positive=True), Symbol('dist', real=True, finite=True, nonnegative=True)), Symbol('loss_i', real=True, finite=True, nonnegative=True), Mul(Integer(-1), Symbol('loss_z', real=True, finite=True, nonnegative=True)))
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
