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
    /// Adds one factor's gradient of a product into that factor's gradient buffer (a GEMM that
    /// overwrites the buffer the first time it is reached).
    /// - Parameters:
    ///   - rule: which product gives the gradient.
    ///   - outputGradient: `dC`, `rows × columns`.
    ///   - rows: rows of `dC`.
    ///   - columns: columns of `dC`.
    ///   - other: node id of the other factor.
    ///   - factor: node id of the factor whose gradient is accumulated.
    func accumulateProductGradient(_ rule: ProductGradient, outputGradient gy: UnsafePointer<Scalar>, rows: Int, columns: Int,
                                   other: Int, into factor: Int) {
        guard let (g, beta) = overwritableTarget(factor) else { return }
        let otherValue = UnsafePointer(valuePointer(other)), otherRows = nodes[other].rows, otherColumns = nodes[other].columns
        let (left, leftRows, leftColumns) = rule.outputGradientFirst ? (gy, rows, columns) : (otherValue, otherRows, otherColumns)
        let (right, rightColumns) = rule.outputGradientFirst ? (otherValue, otherColumns) : (gy, columns)
        let m = nodes[factor].rows, n = nodes[factor].columns
        Scalar.gemm(transposeA: rule.transposeLeft, transposeB: rule.transposeRight, m: m, n: n,
                    k: rule.transposeLeft ? leftRows : leftColumns, alpha: 1,
                    a: left, lda: leftColumns, b: right, ldb: rightColumns, beta: beta, c: g, ldc: n)
    }

    /// Records one factor's gradient of a product as a ``matmul(_:_:transposeA:transposeB:)`` of
    /// the output gradient and the other factor (differentiable in both).
    /// - Parameters:
    ///   - rule: which product gives the gradient.
    ///   - outputGradient: `dC` as a tensor.
    ///   - other: the other factor.
    func recordProductGradient(_ rule: ProductGradient, outputGradient gy: Tensor, other: Tensor) -> Tensor {
        rule.outputGradientFirst
            ? matmul(gy, other, transposeA: rule.transposeLeft, transposeB: rule.transposeRight)
            : matmul(other, gy, transposeA: rule.transposeLeft, transposeB: rule.transposeRight)
    }
}
