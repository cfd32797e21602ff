// Matrix products on the tape, through the foundation's GEMM for Float.

extension Tape {
    /// The product `op(a) · op(b)`, where `op` transposes when asked (no copy is made).
    /// - Parameters:
    ///   - a: `m × k`, or `k × m` when `transposeA`.
    ///   - b: `k × n`, or `n × k` when `transposeB`.
    ///   - transposeA: use `aᵀ`.
    ///   - transposeB: use `bᵀ`.
    /// - Returns: `m × n`.
    public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        check(a); check(b)
        let m = transposeA ? a.columns : a.rows, k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        precondition((transposeB ? b.columns : b.rows) == k,
                     "Tape.matmul: \(a.rows)×\(a.columns)\(transposeA ? "ᵀ" : "") · \(b.rows)×\(b.columns)\(transposeB ? "ᵀ" : "")")
        let (t, out) = record(rows: m, columns: n, needsGradient: needs(a) || needs(b),
                              op: .matmul(a.id, b.id, transposeA: transposeA, transposeB: transposeB))
        if t.count > 0 {
            Scalar.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                        a: valuePointer(a.id), lda: a.columns, b: valuePointer(b.id), ldb: b.columns, beta: 0, c: out, ldc: n)
        }
        return t
    }

    /// A fully connected map `x · Wᵀ + b` in one op (bias written first, then one GEMM accumulates).
    /// - Parameters:
    ///   - x: `batch × in`.
    ///   - weight: `out × in` (PyTorch's layout).
    ///   - bias: `1 × out`, or `nil`.
    /// - Returns: `batch × out`.
    public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        check(x); check(weight)
        precondition(weight.columns == x.columns, "Tape.linear: input has \(x.columns) features, weight is \(weight.rows)×\(weight.columns)")
        if let bias {
            check(bias)
            precondition(bias.rows == 1 && bias.columns == weight.rows, "Tape.linear: bias \(bias.rows)×\(bias.columns), expected 1×\(weight.rows)")
        }
        let m = x.rows, n = weight.rows, k = x.columns
        let (t, out) = record(rows: m, columns: n, needsGradient: needs(x) || needs(weight) || bias.map(needs) == true,
                              op: .linear(x.id, weight: weight.id, bias: bias?.id ?? -1))
        guard t.count > 0 else { return t }
        if let bias { Scalar.fillRows(with: valuePointer(bias.id), out, rows: m, columns: n) }
        Scalar.gemm(transposeA: false, transposeB: true, m: m, n: n, k: k, alpha: 1,
                    a: valuePointer(x.id), lda: k, b: valuePointer(weight.id), ldb: k,
                    beta: bias == nil ? 0 : 1, c: out, ldc: n)
        return t
    }
}
