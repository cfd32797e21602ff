/// Where a running experiment is: the step starting now, cells done, and an estimate of the time left.
public struct ExperimentProgress: Sendable, Equatable {
    /// The step starting (`balance: smote (seed 2)`, `smote × dt (seed 2)`, `write results`).
    public var stage: String
    /// Cells finished, including those a resumed run found in its journal.
    public var cellsDone: Int
    /// Cells in the plan.
    public var cellsTotal: Int
    /// Seconds since this run (or this part of a resumed run) started.
    public var elapsedSeconds: Double
    /// Estimated seconds left (from the pace of the cells this run finished), or `nil` before the
    /// first one.
    public var remainingSeconds: Double?

    /// The share of cells done, 0…1.
    public var fraction: Double { cellsTotal == 0 ? 1 : Double(cellsDone) / Double(cellsTotal) }
}

/// Counts finished cells and reports progress with a time-left estimate.
struct ProgressTracker {
    let total: Int
    var done: Int
    let clock: Stopwatch
    let report: (ExperimentProgress) -> Void
    private var finishedHere = 0
    private var stageName = ""

    init(total: Int, alreadyDone: Int, clock: Stopwatch, report: @escaping (ExperimentProgress) -> Void) {
        self.total = total
        self.done = alreadyDone
        self.clock = clock
        self.report = report
    }

    /// Reports that a step starts.
    mutating func stage(_ name: String) {
        stageName = name
        send()
    }

    /// Counts a finished cell and reports.
    mutating func cellFinished() {
        done += 1
        finishedHere += 1
        send()
    }

    private func send() {
        let elapsed = clock.seconds
        let remaining = finishedHere == 0 ? nil : elapsed / Double(finishedHere) * Double(max(0, total - done))
        report(ExperimentProgress(stage: stageName, cellsDone: done, cellsTotal: total, elapsedSeconds: elapsed, remainingSeconds: remaining))
    }
}
