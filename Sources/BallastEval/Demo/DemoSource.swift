import BallastCore
import BallastData
import Foundation

/// Where the demo's traffic comes from, and how it is split into training and test rows.
public enum DemoSource: Sendable, Equatable {
    /// The seeded traffic simulator with this many rows, split stratified into training and test parts.
    case simulator(rows: Int)
    /// NSL-KDD in a directory: train on `KDDTrain+.txt` (or `KDDTrain+_20Percent.txt` when `quick`),
    /// test on `KDDTest+.txt`.
    case nslKDD(directory: String, quick: Bool)

    /// Whether the data is simulated.
    public var isSimulated: Bool {
        if case .simulator = self { return true }
        return false
    }

    /// Training and test tables and a description of them.
    struct Loaded {
        var train: LabeledTable
        var test: LabeledTable
        var description: String
    }

    /// Generates or reads the data and splits it.
    /// - Parameters:
    ///   - testFraction: the simulator's test share.
    ///   - rng: seeds the simulator and the split (NSL-KDD uses no randomness).
    ///   - stage: called with the name of each step as it starts.
    /// - Throws: ``DataError`` for unreadable or invalid NSL-KDD files, ``SplitError`` for an invalid
    ///   test fraction, and ``DemoError/classMismatch(train:test:)`` when the two files disagree on classes.
    func load(testFraction: Double, using rng: inout Xoshiro256StarStar, stage: (String) -> Void) throws -> Loaded {
        switch self {
        case .simulator(let rows):
            stage("simulate \(rows) rows")
            var simulatorRNG = rng.split()
            let all = TrafficSimulator(rowCount: rows).generate(using: &simulatorRNG)
            stage("split")
            let parts = try StratifiedSplit(testFraction: testFraction).split(labels: all.labels, using: &rng)
            let trainShare = Int(((1 - testFraction) * 100).rounded()), testShare = Int((testFraction * 100).rounded())
            return Loaded(train: all.gatherRows(parts.train), test: all.gatherRows(parts.test),
                          description: "simulated traffic (Ballast traffic simulator, \(rows) rows, NSL-KDD schema; "
                              + "not real traffic), stratified \(trainShare)/\(testShare) split")
        case .nslKDD(let directory, let quick):
            let trainFile = quick ? "KDDTrain+_20Percent.txt" : "KDDTrain+.txt"
            let dir = URL(fileURLWithPath: directory)
            stage("load \(trainFile)")
            let train = try NSLKDD.load(path: dir.appendingPathComponent(trainFile).path)
            stage("load KDDTest+.txt")
            let test = try NSLKDD.load(path: dir.appendingPathComponent("KDDTest+.txt").path)
            guard train.classNames == test.classNames else {
                throw DemoError.classMismatch(train: train.classNames, test: test.classNames)
            }
            return Loaded(train: train, test: test, description: "NSL-KDD: \(trainFile) → KDDTest+.txt")
        }
    }
}
