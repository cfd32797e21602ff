import BallastCore
import BallastData
import Testing

@Suite("Stratified splits")
struct SplitTests {
    static let labels: [Int] = {
        var l = Array(repeating: 0, count: 100) + Array(repeating: 1, count: 30) + Array(repeating: 2, count: 5) + [3]
        var rng = Xoshiro256StarStar(seed: 1)
        rng.shuffle(&l)
        return l
    }()

    static func perClass(_ rows: [Int], _ labels: [Int]) -> [Int] {
        var c = [0, 0, 0, 0]
        for r in rows { c[labels[r]] += 1 }
        return c
    }

    @Test("Test size and per-class counts are exact; parts are disjoint, covering and sorted")
    func proportions() throws {
        var rng = Xoshiro256StarStar(seed: 7)
        let (train, test) = try StratifiedSplit(testFraction: 0.25).split(labels: Self.labels, using: &rng)
        #expect(test.count == 34)
        #expect(Self.perClass(test, Self.labels) == [25, 8, 1, 0])
        #expect(Self.perClass(train, Self.labels) == [75, 22, 4, 1])  // the single row stays in train
        #expect(Set(train).isDisjoint(with: test))
        #expect((train + test).sorted() == Array(0..<Self.labels.count))
        #expect(train == train.sorted() && test == test.sorted())
    }

    @Test("The same seed gives the same split; another seed another")
    func determinism() throws {
        var a = Xoshiro256StarStar(seed: 3), b = Xoshiro256StarStar(seed: 3), c = Xoshiro256StarStar(seed: 4)
        let s = StratifiedSplit(testFraction: 0.3)
        let x = try s.split(labels: Self.labels, using: &a)
        let y = try s.split(labels: Self.labels, using: &b)
        let z = try s.split(labels: Self.labels, using: &c)
        #expect(x.test == y.test && x.train == y.train)
        #expect(x.test != z.test)
    }

    @Test("Tiny classes keep a row on each side even when the fraction would round to zero")
    func tinyClasses() throws {
        var rng = Xoshiro256StarStar(seed: 9)
        let labels = [0, 0, 1, 1]
        let (train, test) = try StratifiedSplit(testFraction: 0.1).split(labels: labels, using: &rng)
        #expect(Set(test.map { labels[$0] }) == [0, 1])
        #expect(Set(train.map { labels[$0] }) == [0, 1])
    }

    @Test("Invalid fractions and too few rows are refused with named errors", arguments: [0.0, 1.0, -0.2, Double.nan])
    func errors(fraction: Double) {
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: SplitError.self) { try StratifiedSplit(testFraction: fraction).split(labels: [0, 1, 0, 1], using: &rng) }
        #expect(throws: SplitError.tooFewRows(1)) { try StratifiedSplit().split(labels: [0], using: &rng) }
        #expect(SplitError.invalidTestFraction(1).description.contains("testFraction 1"))
    }

    @Test("K-fold test parts partition the rows, stratified, with train as the complement")
    func kFold() throws {
        var rng = Xoshiro256StarStar(seed: 5)
        let folds = try StratifiedKFold(folds: 5).split(labels: Self.labels, using: &rng)
        #expect(folds.count == 5)
        let allTests = folds.flatMap(\.test)
        #expect(allTests.sorted() == Array(0..<Self.labels.count))
        let sizes = folds.map(\.test.count)
        #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
        for fold in folds {
            #expect(fold.train == fold.train.sorted() && fold.test == fold.test.sorted())
            #expect((fold.train + fold.test).sorted() == Array(0..<Self.labels.count))
            let c = Self.perClass(fold.test, Self.labels)
            #expect(c[0] == 20 && c[1] == 6 && c[2] == 1)
        }
        // The class of 5 rows is in 5 different folds; the single row in exactly one.
        #expect(folds.filter { Self.perClass($0.test, Self.labels)[3] == 1 }.count == 1)
        var again = Xoshiro256StarStar(seed: 5)
        #expect(try StratifiedKFold(folds: 5).split(labels: Self.labels, using: &again).map(\.test) == folds.map(\.test))
    }

    @Test("K-fold refuses fewer than 2 folds or more folds than rows")
    func kFoldErrors() {
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: SplitError.invalidFoldCount(folds: 1, rows: 4)) { try StratifiedKFold(folds: 1).split(labels: [0, 0, 1, 1], using: &rng) }
        #expect(throws: SplitError.invalidFoldCount(folds: 5, rows: 4)) { try StratifiedKFold(folds: 5).split(labels: [0, 0, 1, 1], using: &rng) }
    }
}
