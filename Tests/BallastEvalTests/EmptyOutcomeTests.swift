import BallastCore
import BallastData
import BallastEval
import BallastLearn
import Foundation
import Testing

/// Jobs that would succeed with nothing to show (issue 18, defects 9 and 11): they fail instead,
/// saying why.
@Suite("Empty outcomes are errors")
struct EmptyOutcomeTests {
    static func simulated(_ rows: Int = 400) throws -> LabeledTable {
        var rng = Xoshiro256StarStar(seed: 6)
        return try TrafficSimulator(rowCount: rows).generate(using: &rng)
    }

    @Test("evaluating on records none of whose labels the model knows is a data error, not 0% over 0 rows")
    func evaluateWithoutKnownLabels() throws {
        let data = try Self.simulated()
        let bundle = try TrainJob(model: "dt:depth=3").run(data, format: "csv", labelColumn: "class", labelMode: "5class", seed: 1).bundle
        do {
            _ = try bundle.evaluate(data.features, labels: Array(repeating: "worm", count: data.rowCount))
            Issue.record("an evaluation over 0 rows was accepted")
        } catch let error as DataError {
            #expect(error.kind == .badLabel)
            #expect(error.description.contains("worm") && error.description.contains("Normal"), "\(error)")
        }
    }

    @Test("a balancing that leaves no rows is refused instead of writing a header-only file")
    func balanceToNothing() throws {
        let data = try Self.simulated()
        let zero = SamplingStrategy.counts(Dictionary(uniqueKeysWithValues: data.classNames.indices.map { ($0, 0) }))
        var resampler = try Catalog.resampler("rus")
        resampler.strategy = zero
        var rng = Xoshiro256StarStar(seed: 1)
        do {
            _ = try BalanceJob(resampler: resampler, method: "rus").run(data, using: &rng)
            Issue.record("an empty balancing was accepted")
        } catch let error as ResamplingError {
            #expect(error.description.contains("rus") && error.description.contains("no rows"), "\(error)")
        }
    }
}
