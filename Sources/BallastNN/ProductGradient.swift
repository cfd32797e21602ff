/// How the gradient of one factor of a product `C = op(A) · op(B)` is itself a product of the
/// output gradient `dC` and the other factor, with transposes:
///
/// | factor | `op` of that factor | gradient |
/// | --- | --- | --- |
/// | A | `A` | `dC · op(B)ᵀ` |
/// | A | `Aᵀ` | `op(B) · dCᵀ` |
/// | B | `B` | `op(A)ᵀ · dC` |
/// | B | `Bᵀ` | `dCᵀ · op(A)` |
///
/// One rule serves both the backward pass (a GEMM into the gradient buffer) and its recorded form
/// (a ``Tape/matmul(_:_:transposeA:transposeB:)`` on the tape, for double backward), so the two
/// cannot disagree. `linear` is the product `X · Wᵀ` and uses the same rule.
struct ProductGradient: Equatable {
    /// Whether `dC` is the left factor of the gradient's product (else the other factor is).
    var outputGradientFirst: Bool
    /// Whether the left factor is transposed.
    var transposeLeft: Bool
    /// Whether the right factor is transposed.
    var transposeRight: Bool

    /// The rule for the gradient of `A` (`ofA`) or of `B` in `op(A) · op(B)`.
    /// - Parameters:
    ///   - ofA: the first factor's gradient; `false` for the second's.
    ///   - transposeA: whether the product used `Aᵀ`.
    ///   - transposeB: whether the product used `Bᵀ`.
    init(ofA: Bool, transposeA: Bool, transposeB: Bool) {
        switch (ofA, ofA ? transposeA : transposeB) {
        case (true, false): self = .init(outputGradientFirst: true, transposeLeft: false, transposeRight: !transposeB)
        case (true, true): self = .init(outputGradientFirst: false, transposeLeft: transposeB, transposeRight: true)
        case (false, false): self = .init(outputGradientFirst: false, transposeLeft: !transposeA, transposeRight: false)
        case (false, true): self = .init(outputGradientFirst: true, transposeLeft: true, transposeRight: transposeA)
        }
    }

    init(outputGradientFirst: Bool, transposeLeft: Bool, transposeRight: Bool) {
        self.outputGradientFirst = outputGradientFirst
        self.transposeLeft = transposeLeft
        self.transposeRight = transposeRight
    }
}

extension Tape {
    /// Adds the gradients of both factors of `C = op(A) · op(B)` into their gradient buffers (a GEMM
    /// each, overwriting a buffer the first time it is reached).
    /// - Parameters:
    ///   - a: node id of `A`.
    ///   - b: node id of `B`.
    ///   - transposeA: whether the product used `Aᵀ`.
    ///   - transposeB: whether the product used `Bᵀ`.
    ///   - gy: `dC`, `rows × columns`.
    ///   - rows: rows of `dC`.
    ///   - columns: columns of `dC`.
    func accumulateProductGradients(_ a: Int, _ b: Int, transposeA: Bool, transposeB: Bool,
                                    outputGradient gy: UnsafePointer<Scalar>, rows: Int, columns: Int) {
        for (factor, other, ofA) in [(a, b, true), (b, a, false)] {
            guard let (g, beta) = overwritableTarget(factor) else { continue }
            let rule = ProductGradient(ofA: ofA, transposeA: transposeA, transposeB: transposeB)
            let otherValue = UnsafePointer(valuePointer(other)), otherRows = nodes[other].rows, otherColumns = nodes[other].columns
            let (left, leftRows, leftColumns) = rule.outputGradientFirst ? (gy, rows, columns) : (otherValue, otherRows, otherColumns)
            let (right, rightColumns) = rule.outputGradientFirst ? (otherValue, otherColumns) : (gy, columns)
            let m = nodes[factor].rows, n = nodes[factor].columns
            Scalar.gemm(transposeA: rule.transposeLeft, transposeB: rule.transposeRight, m: m, n: n,
                        k: rule.transposeLeft ? leftRows : leftColumns, alpha: 1,
                        a: left, lda: leftColumns, b: right, ldb: rightColumns, beta: beta, c: g, ldc: n)
        }
    }

    /// Records the gradients of the factors of `C = op(A) · op(B)` that `wants` accepts, each as a
    /// ``matmul(_:_:transposeA:transposeB:)`` of `dC` and the other factor (differentiable in both).
    /// - Parameters:
    ///   - a: node id of `A`.
    ///   - b: node id of `B`.
    ///   - transposeA: whether the product used `Aᵀ`.
    ///   - transposeB: whether the product used `Bᵀ`.
    ///   - gy: `dC` as a tensor.
    ///   - wants: whether a factor needs its gradient.
    ///   - deliver: receives each factor and its gradient.
    func recordProductGradients(_ a: Int, _ b: Int, transposeA: Bool, transposeB: Bool, outputGradient gy: Tensor,
                                wants: (Int) -> Bool, deliver: (Int, Tensor) -> Void) {
        for (factor, other, ofA) in [(a, b, true), (b, a, false)] where wants(factor) {
            let rule = ProductGradient(ofA: ofA, transposeA: transposeA, transposeB: transposeB)
            let o = tensor(other)
            deliver(factor, rule.outputGradientFirst
                ? matmul(gy, o, transposeA: rule.transposeLeft, transposeB: rule.transposeRight)
                : matmul(o, gy, transposeA: rule.transposeLeft, transposeB: rule.transposeRight))
        }
    }
}
