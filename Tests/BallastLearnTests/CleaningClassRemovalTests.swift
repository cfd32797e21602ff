import BallastCore
import BallastLearn
import Testing

/// Cleaning methods remove noisy rows, never a whole class (defect 4 of issue 18).
@Suite("Cleaning keeps every class")
struct CleaningClassRemovalTests {
    /// 30 rows of class 0 on a line, 4 rows of class 1 scattered among them, and 3 rows of class 2
    /// far away (the minority, which `.auto` leaves alone): every class-1 row has only class-0 neighbours.
    static func surrounded() -> LabeledMatrix {
        var rows: [[Float]] = [], labels: [Int] = []
        for i in 0..<30 { rows.append([Float(i), 0]); labels.append(0) }
        for i in [5, 12, 19, 26] { rows.append([Float(i) + 0.5, 0.1]); labels.append(1) }
        for i in 0..<3 { rows.append([100 + Float(i), 100]); labels.append(2) }
        return LabeledMatrix(features: Matrix(rows), labels: labels, classNames: ["majority", "surrounded", "far"])
    }

    @Test("ENN keeps a class it would erase, and says so", arguments: [EditedNearestNeighbours.Rule.all, .mode])
    func ennKeepsClass(rule: EditedNearestNeighbours.Rule) throws {
        var rng = Xoshiro256StarStar(seed: 1)
        let result = try EditedNearestNeighbours(k: 3, rule: rule).fitResample(Self.surrounded(), schema: nil, using: &rng)
        let counts = result.data.classCounts
        #expect(counts[1] == 4, "class 'surrounded' went from 4 to \(counts[1]) rows")
        #expect(counts[0] <= 30 && counts[2] == 3)
        #expect(result.warnings.contains { $0.description.contains("surrounded") }, "\(result.warnings)")
    }

    @Test("the catalogue's enn keeps the class too")
    func catalogKeepsClass() throws {
        var rng = Xoshiro256StarStar(seed: 2)
        let enn = try Catalog.resampler("enn")
        let result = try enn.fitResample(Self.surrounded(), schema: nil, using: &rng)
        #expect(result.data.classCounts.allSatisfy { $0 > 0 })
    }
}
