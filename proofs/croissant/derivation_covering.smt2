; boundcheck-claim: 890a8f5221a1c6e2b8efca462f0b48f5b8f577e652b65a3036d16abacf28e0d1
; boundcheck-goal: ge Add(Mul(Rational(1, 2), Symbol('K', real=True, finite=True, positive=True), Pow(Symbol('d', real=True, finite=True, positive=True), Rational(1, 2)), Pow(Symbol('n', real=True, finite=True, integer=True, positive=True), Mul(Integer(-1), Pow(Symbol('d', real=True, finite=True, positive=True), Integer(-1))))), Mul(Integer(-1), Symbol('K', real=True, finite=True, positive=True), Symbol('dist', real=True, finite=True, nonnegative=True)))
; boundcheck-define root!1: Pow(Symbol('d', real=True, finite=True, positive=True), Rational(1, 2))
; boundcheck-define pow!2: Pow(Symbol('n', real=True, finite=True, integer=True, positive=True), Mul(Integer(-1), Pow(Symbol('d', real=True, finite=True, positive=True), Integer(-1))))
; boundcheck obligation for derivation:covering: unsat proves the claim
; benchmark generated from python API
(set-info :status unknown)
(declare-fun n () Real)
(declare-fun d () Real)
(declare-fun K () Real)
(declare-fun L_train () Real)
(declare-fun dist () Real)
(declare-fun pow!2 () Real)
(declare-fun root!1 () Real)
(assert
 (<= 1.0 n))
(assert
 (<= 1.0 d))
(assert
 (< 0.0 K))
(assert
 (<= 0.0 L_train))
(assert
 (>= 1.0 L_train))
(assert
 (<= 0.0 dist))
(assert
 (let ((?x30 (* (* (/ 1.0 2.0) root!1) pow!2)))
 (<= dist ?x30)))
(assert
 (>= root!1 0.0))
(assert
 (>= d 0.0))
(assert
 (let ((?x23 (^ root!1 2.0)))
 (= ?x23 d)))
(assert
 (<= 0.0 pow!2))
(assert
 (>= 1.0 pow!2))
(assert
 (> pow!2 0.0))
(assert
 (let ((?x37 (* (* (* (/ 1.0 2.0) K) root!1) pow!2)))
(let ((?x34 (* (* (- 1.0) dist) K)))
(let ((?x38 (+ ?x34 ?x37)))
(< ?x38 0.0)))))
(check-sat)
