import BallastCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the trainer shows its progress.
public enum ProgressDisplay: Sendable, Equatable {
    /// On standard error in the style of ``ProgressStyle/current``: a bar on a terminal, a plain
    /// line now and then when piped or redirected, nothing with `BALLAST_PROGRESS=none`
    /// (`--quiet`).
    case automatic
    /// Never.
    case hidden
}

/// The one-line training progress bar: epoch, batch fraction, running loss, validation loss and
/// rows per second, redrawn at most ten times a second on standard error; or, when standard error
/// is not a terminal, the same text as a plain line at most once per 10% of the epochs or 30 s.
final class TrainingProgress {
    private let style: ProgressStyle
    private let epochs: Int
    private let label: String?
    private var lastDraw: UInt64 = 0
    private var drew = false
    private var throttle = ProgressThrottle(delay: ProgressStyle.isExplicit ? 0 : ProgressThrottle.automaticDelay)
    private let start = DispatchTime.now().uptimeNanoseconds

    init(display: ProgressDisplay, epochs: Int, label: String? = nil) {
        self.epochs = epochs
        self.label = label
        switch display {
        case .automatic: style = ProgressStyle.current
        case .hidden: style = .quiet
        }
    }

    /// The text of the bar (exposed for tests through ``Trainer/progressLine(epoch:of:fraction:loss:validationLoss:rowsPerSecond:)``).
    static func line(epoch: Int, of epochs: Int, fraction: Double, terms: [(String, Double)], validationLoss: Double?,
                     rowsPerSecond: Double, label: String? = nil) -> String {
        let width = 20
        let f = min(max(fraction, 0), 1)
        let filled = Int(f * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        var text = (label.map { $0 + " " } ?? "") + "epoch \(epoch)/\(epochs) \(bar) \(String(format: "%3.0f", f * 100))%"
        for (name, value) in terms { text += " \(name) \(String(format: "%.4f", value))" }
        if let validationLoss { text += " val \(String(format: "%.4f", validationLoss))" }
        return text + " \(Int(rowsPerSecond.rounded())) rows/s"
    }

    func update(epoch: Int, fraction: Double, terms: [(String, Double)], validationLoss: Double?, rowsPerSecond: Double,
                force: Bool = false) {
        let now = DispatchTime.now().uptimeNanoseconds
        switch style {
        case .quiet: return
        case .lines:
            let done = (Double(epoch - 1) + min(max(fraction, 0), 1)) / Double(max(epochs, 1))
            guard throttle.isDue(fraction: done, at: Double(now &- start) / 1e9) else { return }
            let text = Self.line(epoch: epoch, of: epochs, fraction: fraction, terms: terms, validationLoss: validationLoss,
                                 rowsPerSecond: rowsPerSecond, label: label)
            FileHandle.standardError.write(Data((text + "\n").utf8))
            return
        case .bar: break
        }
        guard force || now &- lastDraw > 100_000_000 else { return }
        lastDraw = now
        drew = true
        let text = "\r\u{1B}[K" + Self.line(epoch: epoch, of: epochs, fraction: fraction, terms: terms,
                                             validationLoss: validationLoss, rowsPerSecond: rowsPerSecond, label: label)
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Clears the line so the output that follows starts clean.
    func finish() {
        guard style == .bar && drew else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
