import Foundation

/// Terminal helpers: standard error, and whether a stream is an interactive terminal.
enum Terminal {
    /// Whether standard error is a terminal (progress bars are drawn only then).
    static let stderrIsTerminal: Bool = isatty(STDERR_FILENO) != 0

    /// Writes `text` to standard error.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// A one-line progress bar on standard error, drawn only when standard error is a terminal.
///
/// Redraws at most ten times a second; ``finish()`` clears the line so the output that follows is
/// clean. When piped, it prints nothing.
final class ProgressBar: @unchecked Sendable {
    private let title: String
    private let enabled: Bool
    private var lastDraw: UInt64 = 0
    private let start = DispatchTime.now().uptimeNanoseconds
    private let lock = NSLock()

    /// Creates a bar titled `title`; disabled when standard error is not a terminal.
    init(_ title: String, enabled: Bool = Terminal.stderrIsTerminal) {
        self.title = title
        self.enabled = enabled
    }

    /// Shows `fraction` (0…1) done, with an optional detail such as "rows/s".
    func update(_ fraction: Double, detail: String = "") {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 100_000_000 || fraction >= 1 else { return }
        lastDraw = now
        let width = 28
        let f = min(max(fraction, 0), 1)
        let filled = Int(f * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = Double(now - start) / 1e9
        Terminal.writeError("\r\u{1B}[K\(title) \(bar) \(String(format: "%3.0f", f * 100))% \(String(format: "%.1f", elapsed))s \(detail)")
    }

    /// Shows a stage name without a fraction.
    func stage(_ name: String) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        Terminal.writeError("\r\u{1B}[K\(title): \(name)…")
    }

    /// Clears the bar.
    func finish() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        Terminal.writeError("\r\u{1B}[K")
    }
}
