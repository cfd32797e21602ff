import BallastCore
import Testing

/// Issue 18, defect 15: when stderr is not a terminal, long jobs print a plain line at most every
/// 10% of the work or 30 seconds.
@Suite("plain progress lines")
struct ProgressThrottleTests {
    @Test("a line per 10% of the work, none in between, the end always")
    func steps() {
        var throttle = ProgressThrottle()
        var written: [Double] = []
        for i in 0...100 {
            let f = Double(i) / 100
            if throttle.isDue(fraction: f, at: Double(i) * 0.01) { written.append(f) }
        }
        #expect((10...11).contains(written.count), "\(written)")
        #expect(written.first == 0 && written.last == 1)
        let beforeEnd = written.dropLast()
        for (a, b) in zip(beforeEnd, beforeEnd.dropFirst()) { #expect(b - a >= 0.1 - 1e-9, "\(written)") }
    }

    @Test("slow work gets a line every 30 seconds, and nothing before the delay")
    func interval() {
        var throttle = ProgressThrottle(delay: 5)
        let calls: [(Double?, Double)] = [(0.01, 1), (0.02, 4.9), (0.03, 5), (0.04, 20), (0.05, 35), (nil, 50), (nil, 65), (1, 66), (1, 67)]
        let due = calls.map { throttle.isDue(fraction: $0.0, at: $0.1) }
        #expect(due == [false, false, true, false, true, false, true, true, false])
    }

    @Test("BALLAST_PROGRESS names the styles")
    func styles() {
        #expect(ProgressStyle(rawValue: "lines") == ProgressStyle.lines && ProgressStyle(rawValue: "none") == ProgressStyle.quiet)
        #expect(ProgressStyle.environmentVariable == "BALLAST_PROGRESS")
    }
}
