import BallastCore

/// Finite-difference gradient checks in `Double`, for ops and layers.
///
/// `check` builds the computation on a `Tape<Double>`, compares the gradient that
/// ``Tape/backward(_:)`` computes with central differences `(f(v + h) − f(v − h)) / 2h` for every
/// element of every input and every parameter, and reports the largest error. Parameters are
/// perturbed in `Double` (the tape substitutes exact values for their Float ones), so the check
/// measures the backward code, not Float rounding.
///
/// The function may return any shape: a non-scalar output is reduced to `Σ out ⊙ R` with a fixed
/// random `R`, so every output element's gradient is exercised. It must be deterministic (the same
/// inputs give the same output) — a layer with randomness (dropout) must reuse one mask — and it is
/// called `1 + 2 × (number of checked scalars)` times, so keep shapes small (a few dozen scalars).
///
/// How to check a layer (copied from `GradientCheckTests`):
///
/// ```swift
/// var rng = Xoshiro256StarStar(seed: 7)
/// let layer = Linear(3, 4, using: &rng)
/// let x = Matrix(rows: 5, columns: 3, generator: { _, _ in Float(rng.nextNormal()) })
/// let report = GradientCheck.check(inputs: [x], parameters: layer.parameters) { tape, inputs in
///     layer.forward(inputs[0], on: tape, mode: .training)
/// }
/// #expect(report.passed, "\(report)")
/// ```
///
/// Avoid inputs at kinks (ReLU at 0, clamp limits, ties of a row maximum): central differences are
/// meaningless there. Parameters' ``Parameter/gradient`` is zeroed when the check returns.
public enum GradientCheck {
    /// The outcome of a check.
    public struct Report: Sendable, CustomStringConvertible {
        /// The largest `|analytic − numeric| / max(1, |analytic|, |numeric|)`.
        public let maxError: Double
        /// Where the largest error occurred, with both values.
        public let worst: String
        /// Number of scalars compared.
        public let checkedCount: Int
        /// The error allowed.
        public let tolerance: Double
        /// Whether every error is within the tolerance (and something was checked).
        public var passed: Bool { maxError <= tolerance && checkedCount > 0 && maxError.isFinite }
        /// A one-line summary.
        public var description: String {
            "gradient check \(passed ? "passed" : "FAILED"): max error \(maxError) (tolerance \(tolerance)) over \(checkedCount) scalars; worst at \(worst)"
        }
    }

    /// Compares analytic and numeric gradients of `function` with respect to `inputs` and `parameters`.
    /// - Parameters:
    ///   - inputs: values of the input tensors (converted to `Double`), passed to `function` as
    ///     tensors that require gradients, in the same order.
    ///   - parameters: parameters the function uses through ``Tape/parameter(_:)``.
    ///   - step: the finite-difference step `h`.
    ///   - tolerance: the largest acceptable error.
    ///   - seed: seed of the random projection of a non-scalar output.
    ///   - function: builds the computation on the given tape from the input tensors.
    /// - Returns: the largest error and where it occurred.
    public static func check(
        inputs: [Matrix], parameters: [Parameter] = [], step: Double = 1e-5, tolerance: Double = 1e-6,
        seed: UInt64 = 0x5EED, _ function: (Tape<Double>, [Tensor]) -> Tensor
    ) -> Report {
        var inputValues = inputs.map { m in m.storage.map(Double.init) }
        var parameterValues = parameters.map { p in p.value.storage.map(Double.init) }
        let tape = Tape<Double>()
        var projection: [Double] = []
        var rng = Xoshiro256StarStar(seed: seed)

        /// Runs the function on the current values; returns the scalar loss and the input tensors.
        func evaluate() -> (loss: Tensor, inputs: [Tensor]) {
            tape.reset()
            for (p, values) in zip(parameters, parameterValues) { tape.override(p, with: values) }
            let tensors = zip(inputs, inputValues).map { m, values in
                tape.input(rows: m.rows, columns: m.columns, values: values, requiresGradient: true)
            }
            let out = function(tape, tensors)
            if out.rows == 1 && out.columns == 1 { return (out, tensors) }
            if projection.count != out.count {
                projection = (0..<out.count).map { _ in 2 * rng.nextUniform() - 1 }
            }
            let weights = tape.input(rows: out.rows, columns: out.columns, values: projection)
            return (tape.sum(tape.mul(out, weights), axis: nil), tensors)
        }
        func lossValue() -> Double { let (loss, _) = evaluate(); return tape.value(loss)[0] }

        let (loss, tensors) = evaluate()
        tape.backward(loss)
        let inputGradients = tensors.map { tape.gradient($0) ?? Array(repeating: 0, count: $0.count) }
        let parameterGradients = parameters.map { p -> [Double] in
            let t = tape.parameter(p)
            return tape.gradient(t) ?? Array(repeating: 0, count: p.count)
        }

        var maxError = 0.0, worst = "nothing checked", checked = 0
        func compare(_ analytic: Double, _ label: () -> String, perturb: (Double) -> Void) {
            perturb(step)
            let plus = lossValue()
            perturb(-2 * step)
            let minus = lossValue()
            perturb(step)
            let numeric = (plus - minus) / (2 * step)
            let error = abs(analytic - numeric) / Swift.max(1, abs(analytic), abs(numeric))
            checked += 1
            if !(error <= maxError) {
                maxError = error
                worst = "\(label()): analytic \(analytic), numeric \(numeric)"
            }
        }
        for k in inputValues.indices {
            for i in inputValues[k].indices {
                let columns = Swift.max(inputs[k].columns, 1)
                compare(inputGradients[k][i], { "input \(k) [\(i / columns), \(i % columns)]" }) { inputValues[k][i] += $0 }
            }
        }
        for k in parameterValues.indices {
            for i in parameterValues[k].indices {
                let columns = Swift.max(parameters[k].value.columns, 1)
                compare(parameterGradients[k][i], { "\(parameters[k].name) [\(i / columns), \(i % columns)]" }) { parameterValues[k][i] += $0 }
            }
        }
        for p in parameters { p.zeroGradient() }
        return Report(maxError: maxError, worst: worst, checkedCount: checked, tolerance: tolerance)
    }
}
