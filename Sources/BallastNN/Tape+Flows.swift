// Fused RealNVP affine coupling: one op for the output, one for its log-determinant.

extension Tape {
    /// The affine coupling of RealNVP (Dinh, Sohl-Dickstein & Bengio, 2017) in two fused ops.
    ///
    /// With `free = 1 − mask`, `s = tanh(scaleAndShift[:, :f]) ⊙ free` and
    /// `t = scaleAndShift[:, f:] ⊙ free`, the output is `x ⊙ eˢ + t` (features where `mask` is 1 pass
    /// unchanged) and the log-determinant of its Jacobian is `Σⱼ s` per row. Equal to composing
    /// `tanh`, `mul`, `exp`, `add`, `slice` and `sum`, with 2 ops instead of about 12.
    /// - Parameters:
    ///   - x: `batch × f`, the coupling input.
    ///   - scaleAndShift: `batch × 2f`, the conditioner network's output on `x ⊙ mask` (raw scales,
    ///     then shifts).
    ///   - mask: `1 × f` constant of zeros and ones: 1 where features are kept.
    /// - Returns: the output (`batch × f`) and the log-determinant (`batch × 1`).
    public func affineCoupling(_ x: Tensor, scaleAndShift: Tensor, mask: Tensor) -> (output: Tensor, logDeterminant: Tensor) {
        check(x); check(scaleAndShift); check(mask)
        let f = x.columns
        precondition(scaleAndShift.rows == x.rows && scaleAndShift.columns == 2 * f,
                     "Tape.affineCoupling: scale-and-shift \(scaleAndShift.rows)×\(scaleAndShift.columns), expected \(x.rows)×\(2 * f)")
        precondition(mask.rows == 1 && mask.columns == f && !needs(mask), "Tape.affineCoupling: mask must be a 1×\(f) constant")
        let scratch = allocate(2 * x.count)
        let needsGradient = needs(x) || needs(scaleAndShift)
        let (logDeterminant, _) = record(rows: x.rows, columns: 1, needsGradient: needs(scaleAndShift),
                                         op: .couplingLogDeterminant(scaleAndShift.id, mask: mask.id, scratch: scratch))
        let (output, y) = record(rows: x.rows, columns: f, needsGradient: needsGradient,
                                 op: .coupling(x.id, scaleAndShift: scaleAndShift.id, mask: mask.id, scratch: scratch))
        Scalar.couplingForward(valuePointer(x.id), scaleAndShift: valuePointer(scaleAndShift.id), mask: valuePointer(mask.id),
                               output: y, logDeterminant: valuePointer(logDeterminant.id), tanhScale: pointer(scratch),
                               expScale: pointer(scratch + x.count), rows: x.rows, features: f)
        return (output, logDeterminant)
    }

    /// The inverse of ``affineCoupling(_:scaleAndShift:mask:)``: `x = (y − t) ⊙ e⁻ˢ` on the free
    /// features, `x = y` where `mask` is 1 — what sampling a RealNVP runs, coupling by coupling in
    /// reverse order.
    ///
    /// Not differentiable: the result is a constant of the tape (sampling needs no gradients).
    /// Because masked features pass a coupling unchanged, the conditioner's output on `y ⊙ mask`
    /// equals its output on `x ⊙ mask`, so `scaleAndShift` is computed from `y`.
    /// - Parameters:
    ///   - y: `batch × f`, a coupling output.
    ///   - scaleAndShift: `batch × 2f`, the conditioner network's output on `y ⊙ mask`.
    ///   - mask: `1 × f` constant of zeros and ones.
    /// - Returns: `batch × f`, the coupling input.
    public func affineCouplingInverse(_ y: Tensor, scaleAndShift: Tensor, mask: Tensor) -> Tensor {
        check(y); check(scaleAndShift); check(mask)
        let f = y.columns
        precondition(scaleAndShift.rows == y.rows && scaleAndShift.columns == 2 * f,
                     "Tape.affineCouplingInverse: scale-and-shift \(scaleAndShift.rows)×\(scaleAndShift.columns), expected \(y.rows)×\(2 * f)")
        precondition(mask.rows == 1 && mask.columns == f, "Tape.affineCouplingInverse: mask must be 1×\(f)")
        return input(rows: y.rows, columns: f) { out in
            guard let x = out.baseAddress else { return }
            Scalar.couplingInverse(valuePointer(y.id), scaleAndShift: valuePointer(scaleAndShift.id), mask: valuePointer(mask.id),
                                   input: x, rows: y.rows, features: f)
        }
    }

    /// The backward steps of the two coupling ops.
    func couplingBackward(node i: Int) {
        let node = nodes[i]
        let gy = UnsafePointer(pointer(node.gradient))
        switch node.op {
        case .coupling(let x, let scaleAndShift, let mask, let scratch):
            let count = node.rows * node.columns
            let gx = gradientTarget(x), gst = gradientTarget(scaleAndShift)
            guard gx != nil || gst != nil else { return }
            Scalar.couplingBackward(valuePointer(x), mask: valuePointer(mask), tanhScale: pointer(scratch),
                                    expScale: pointer(scratch + count), outputGradient: gy, inputGradient: gx,
                                    scaleAndShiftGradient: gst, rows: node.rows, features: nodes[x].columns)
        case .couplingLogDeterminant(let scaleAndShift, let mask, let scratch):
            guard let gst = gradientTarget(scaleAndShift) else { return }
            Scalar.couplingLogDeterminantBackward(mask: valuePointer(mask), tanhScale: pointer(scratch), outputGradient: gy,
                                                  scaleAndShiftGradient: gst, rows: node.rows,
                                                  features: nodes[scaleAndShift].columns / 2)
        default:
            preconditionFailure("Tape.couplingBackward: node \(i) is not a coupling")
        }
    }
}
