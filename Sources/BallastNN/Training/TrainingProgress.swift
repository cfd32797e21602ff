import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the trainer shows its progress bar.
public enum ProgressDisplay: Sendable, Equatable {
    /// On standard error when it is a terminal; nothing when it is piped or redirected.
    case automatic
    /// Never.
    case hidden
}

/// The one-line training progress bar: epoch, batch fraction, running loss, validation loss and
/// rows per second, redrawn at most ten times a second on standard error.
final class TrainingProgress {
    private let enabled: Bool
    private let epochs: Int
    private let label: String?
    private var lastDraw: UInt64 = 0
    private var drew = false

    init(display: ProgressDisplay, epochs: Int, label: String? = nil) {
        self.epochs = epochs
        self.label = label
        switch display {
        case .automatic: enabled = isatty(STDERR_FILENO) != 0
        case .hidden: enabled = false
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
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard force || now &- lastDraw > 100_000_000 else { return }
        lastDraw = now
        drew = true
        let text = "\r\u{1B}[K" + Self.line(epoch: epoch, of: epochs, fraction: fraction, terms: terms,
                                             validationLoss: validationLoss, rowsPerSecond: rowsPerSecond, label: label)
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Clears the line so the output that follows starts clean.
    func finish() {
        guard enabled && drew else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
