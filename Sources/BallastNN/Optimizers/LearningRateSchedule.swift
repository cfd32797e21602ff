#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How the learning rate changes from epoch to epoch, as a function of the epoch number and the
/// base rate the optimizer was configured with.
///
/// ```swift
/// let schedule = LearningRateSchedule.cosine(total: 20, minimum: 1e-5)
/// for epoch in 0..<20 {
///     optimizer.learningRate = schedule.rate(epoch: epoch, base: 1e-3)
///     // … one epoch of steps …
/// }
/// ```
public enum LearningRateSchedule: Sendable, Hashable, Codable {
    /// The base rate at every epoch.
    case constant
    /// The base rate multiplied by `factor` every `every` epochs: `base · factor^⌊epoch / every⌋`
    /// (PyTorch's `StepLR` with `step_size = every`, `gamma = factor`).
    case step(every: Int, factor: Float)
    /// Cosine annealing from the base rate at epoch 0 to `minimum` at epoch `total`:
    /// `minimum + (base − minimum) · (1 + cos(π · epoch / total)) / 2` (PyTorch's
    /// `CosineAnnealingLR` with `T_max = total`, `eta_min = minimum`). Unlike PyTorch, epochs after
    /// `total` stay at `minimum` instead of climbing back up.
    case cosine(total: Int, minimum: Float)

    /// The learning rate for `epoch` (counted from 0).
    ///
    /// - Parameters:
    ///   - epoch: the epoch about to run, from 0; negative values count as 0.
    ///   - base: the optimizer's configured learning rate.
    /// - Returns: the rate to set before the epoch's first step.
    public func rate(epoch: Int, base: Float) -> Float {
        let epoch = max(0, epoch)
        switch self {
        case .constant:
            return base
        case .step(let every, let factor):
            let drops = epoch / max(1, every)
            return Float(Double(base) * pow(Double(factor), Double(drops)))
        case .cosine(let total, let minimum):
            guard total > 0, epoch < total else { return total > 0 ? minimum : base }
            let phase = Double.pi * Double(epoch) / Double(total)
            return Float(Double(minimum) + (Double(base) - Double(minimum)) * (1 + cos(phase)) / 2)
        }
    }

    /// Checks the schedule's own parameters.
    ///
    /// - Throws: ``NNError/invalidParameter(name:value:expected:)`` when `every` or `total` is not
    ///   positive, or `factor`/`minimum` is negative or not finite.
    public func validate() throws {
        switch self {
        case .constant:
            return
        case .step(let every, let factor):
            if every <= 0 {
                throw NNError.invalidParameter(name: "LearningRateSchedule.step.every", value: "\(every)",
                                               expected: "a positive number of epochs")
            }
            try validateHyperparameter("LearningRateSchedule.step.factor", factor, expected: "a finite number ≥ 0") { $0 >= 0 }
        case .cosine(let total, let minimum):
            if total <= 0 {
                throw NNError.invalidParameter(name: "LearningRateSchedule.cosine.total", value: "\(total)",
                                               expected: "a positive number of epochs")
            }
            try validateHyperparameter("LearningRateSchedule.cosine.minimum", minimum, expected: "a finite number ≥ 0") { $0 >= 0 }
        }
    }
}
