import ArgumentParser
import BallastCore
import BallastData
import Foundation

/// Terminal helpers: standard error, and whether a stream is an interactive terminal.
enum Terminal {
    /// Writes `text` to standard error.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Writes one `warning: file: …` line per numeric column of `file` that holds a few cells that
    /// are not numbers (read as missing), with their rows.
    static func warnNonNumeric(_ cells: [NonNumericCells], in file: String) {
        for c in cells { writeError("warning: \(file): \(c)\n") }
    }

    /// Writes one `warning: file: …` line per feature column of `data` that determines its label
    /// (see ``LabelProxy``): another label column left in makes every detector look perfect.
    static func warnLabelProxies(_ data: LabeledTable, in file: String) {
        for proxy in LabelProxy.find(in: data) { writeError("warning: \(file): \(proxy)\n") }
    }
}

/// `--quiet`, shared by the commands that run long: silences progress on standard error.
struct ProgressOptions: ParsableArguments {
    @Flag(name: [.customShort("q"), .long], help: "Print no progress on standard error (no bar on a terminal, no progress lines when piped).")
    var quiet = false

    /// Applies the choice to this process (``ProgressStyle`` reads it, here and in the libraries).
    func apply() {
        if quiet { setenv(ProgressStyle.environmentVariable, ProgressStyle.quiet.rawValue, 1) }
    }
}

/// Progress on standard error in the style of ``ProgressStyle/current``: a one-line bar on a
/// terminal, plain lines when standard error is a file or a pipe, nothing with `--quiet`.
///
/// The bar redraws at most ten times a second; ``finish()`` clears the line so the output that
/// follows is clean. Plain lines follow ``ProgressThrottle`` (at most one per 10% or 30 s, none
/// in the first seconds of a job unless `BALLAST_PROGRESS=lines` asked for them), and while a
/// single step runs long a line says so every 30 s.
final class ProgressBar: @unchecked Sendable {
    private let title: String
    private let style: ProgressStyle
    private var lastDraw: UInt64 = 0
    private let start = DispatchTime.now().uptimeNanoseconds
    private let lock = NSLock()
    private var throttle: ProgressThrottle
    private var lastLine = ""
    private var heartbeat: DispatchSourceTimer?
    private var step = ""
    private var stepStart = DispatchTime.now().uptimeNanoseconds

    /// Creates progress titled `title` in the given style; with `json` (the command prints JSON on
    /// standard output), no bar is drawn unless `BALLAST_PROGRESS=bar` asks for it.
    init(_ title: String, style: ProgressStyle = .current, json: Bool = false) {
        self.title = title
        self.style = json && style == .bar && !ProgressStyle.isExplicit ? .quiet : style
        throttle = ProgressThrottle(delay: ProgressStyle.isExplicit ? 0 : ProgressThrottle.automaticDelay)
        if style == .lines {
            let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
            timer.schedule(deadline: .now() + 30, repeating: 30)
            timer.setEventHandler { [weak self] in self?.beat() }
            timer.resume()
            heartbeat = timer
        }
    }

    deinit { heartbeat?.cancel() }

    private var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// Shows `fraction` (0…1) done, with an optional detail such as "rows/s", and with `eta` the
    /// time left estimated from the rate so far (for work that advances evenly, such as records read).
    func update(_ fraction: Double, detail: String = "", eta showsETA: Bool = false) {
        lock.lock(); defer { lock.unlock() }
        draw(fraction, detail: detail, eta: showsETA)
    }

    /// Runs `body` with the libraries' ``WorkProgress`` reports (boosting rounds, trees, rows
    /// searched, bytes read, records scored) drawn as the bar's fraction, with what is counted and
    /// the time left for that step (each step, e.g. each class's neighbour search, has its own ETA).
    func showingWork<R>(_ body: () throws -> R) rethrows -> R {
        try WorkProgress.reporting(to: { [self] what, done, total in
            guard total > 0 else { return }
            lock.lock(); defer { lock.unlock() }
            if what != step {
                step = what
                stepStart = DispatchTime.now().uptimeNanoseconds
                // A new step starts again from 0%: plain lines follow its own fraction.
                throttle = ProgressThrottle(step: throttle.step, interval: throttle.interval, delay: throttle.delay)
            }
            draw(Double(done) / Double(total), detail: "\(what) \(done)/\(total)", eta: true)
        }, body)
    }

    private func draw(_ fraction: Double, detail: String, eta showsETA: Bool) {
        let f = min(max(fraction, 0), 1)
        switch style {
        case .quiet: return
        case .lines:
            lastLine = "\(String(format: "%3.0f", f * 100))% \(detail)\(showsETA ? eta(f) : "")"
            if throttle.isDue(fraction: f, at: elapsed) { writeLine() }
        case .bar:
            let now = DispatchTime.now().uptimeNanoseconds
            guard now - lastDraw > 100_000_000 || fraction >= 1 else { return }
            lastDraw = now
            let width = 28
            let filled = Int(f * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            Terminal.writeError("\r\u{1B}[K\(title) \(bar) \(String(format: "%3.0f", f * 100))% \(String(format: "%.1f", elapsed))s \(detail)\(showsETA ? eta(f) : "")")
        }
    }

    /// The estimated time left at `fraction` done (from the rate so far in the current step), once
    /// it means something.
    private func eta(_ fraction: Double) -> String {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - stepStart) / 1e9
        guard fraction >= 0.01, fraction < 1, seconds >= 1 else { return "" }
        let left = Int((seconds * (1 - fraction) / fraction).rounded())
        return left >= 60 ? " ETA \(left / 60)m\(String(format: "%02d", left % 60))s" : " ETA \(left)s"
    }

    /// Shows a stage name without a fraction.
    func stage(_ name: String) {
        lock.lock(); defer { lock.unlock() }
        switch style {
        case .quiet: return
        case .lines:
            lastLine = name
            if throttle.isDue(fraction: nil, at: elapsed) { writeLine() }
        case .bar:
            Terminal.writeError("\r\u{1B}[K\(title): \(name)…")
        }
    }

    /// Clears the bar (stops the plain lines).
    func finish() {
        heartbeat?.cancel()
        lock.lock(); defer { lock.unlock() }
        if style == .bar { Terminal.writeError("\r\u{1B}[K") }
    }

    /// Every 30 s: a line saying what is still running, when no other line came meanwhile.
    private func beat() {
        lock.lock(); defer { lock.unlock() }
        if !lastLine.isEmpty, throttle.isDue(fraction: nil, at: elapsed) { writeLine() }
    }

    private func writeLine() {
        Terminal.writeError("\(title): \(lastLine) [\(String(format: "%.0f", elapsed))s]\n")
    }
}
