import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How long-running work shows its progress on standard error.
///
/// The style comes from the environment variable `BALLAST_PROGRESS` (`bar`, `lines` or `none`;
/// the CLI's `--quiet` sets `none`, ``quiet``), and otherwise from standard error: a redrawn bar on a
/// terminal, plain lines (see ``ProgressThrottle``) when it is a file or a pipe, so that a long
/// job in a log is not silent.
public enum ProgressStyle: String, Sendable, Equatable, CaseIterable {
    /// A one-line bar redrawn in place (a terminal).
    case bar
    /// A plain line now and then: at most one per 10% of the work or per 30 seconds.
    case lines
    /// Nothing (`BALLAST_PROGRESS=none`, `--quiet`).
    case quiet = "none"

    /// The environment variable that chooses the style.
    public static let environmentVariable = "BALLAST_PROGRESS"

    /// The style for this process: `BALLAST_PROGRESS` when set to a known style, else ``bar``
    /// when standard error is a terminal and ``lines`` when it is not.
    public static var current: ProgressStyle {
        if let value = ProcessInfo.processInfo.environment[environmentVariable], let style = ProgressStyle(rawValue: value) {
            return style
        }
        return isatty(STDERR_FILENO) != 0 ? .bar : .lines
    }

    /// Whether the style was chosen explicitly by `BALLAST_PROGRESS` (plain lines then start at
    /// once; chosen automatically they wait for ``ProgressThrottle/automaticDelay``).
    public static var isExplicit: Bool {
        ProcessInfo.processInfo.environment[environmentVariable].flatMap(ProgressStyle.init(rawValue:)) != nil
    }
}

/// Decides when a plain progress line is due: when the work has advanced by at least ``step``
/// since the last line, or ``interval`` seconds have passed since it — never before ``delay``
/// seconds of work (short jobs stay quiet), and always for the end of the work once a line was
/// written.
public struct ProgressThrottle: Sendable, Equatable {
    /// The delay before the first line when plain lines were chosen automatically (stderr is not a
    /// terminal): jobs shorter than this print nothing.
    public static let automaticDelay = 5.0

    /// Share of the work between two lines.
    public var step: Double
    /// Seconds between two lines when the work advances slowly (or reports no fraction).
    public var interval: Double
    /// Seconds before the first line.
    public var delay: Double
    private var lastFraction: Double?
    private var lastSeconds: Double?

    /// Creates a throttle.
    /// - Parameters:
    ///   - step: share of the work between lines (default 10%).
    ///   - interval: seconds between lines otherwise (default 30).
    ///   - delay: seconds of work before the first line.
    public init(step: Double = 0.1, interval: Double = 30, delay: Double = 0) {
        self.step = step
        self.interval = interval
        self.delay = delay
    }

    /// Whether a line is due now; when it is, the throttle remembers it as written.
    /// - Parameters:
    ///   - fraction: the share of the work done (0…1), or `nil` when unknown.
    ///   - seconds: seconds since the work started.
    public mutating func isDue(fraction: Double?, at seconds: Double) -> Bool {
        guard seconds >= delay else { return false }
        let due: Bool
        if let lastSeconds {
            let advanced = fraction.map { f in f >= 1 ? (lastFraction ?? 0) < 1 : f - (lastFraction ?? 0) >= step } ?? false
            due = advanced || seconds - lastSeconds >= interval
        } else {
            due = true
        }
        if due {
            lastSeconds = seconds
            if let fraction { lastFraction = fraction }
        }
        return due
    }
}
