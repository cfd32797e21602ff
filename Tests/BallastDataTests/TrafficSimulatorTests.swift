import BallastCore
import BallastData
import Testing

@Suite("Traffic simulator")
struct TrafficSimulatorTests {
    static func generate(_ rows: Int, seed: UInt64 = 42) -> LabeledTable {
        var rng = Xoshiro256StarStar(seed: seed)
        // Test sizes fit any machine, so the memory check cannot refuse them.
        return try! TrafficSimulator(rowCount: rows).generate(using: &rng)
    }

    static func numeric(_ t: LabeledTable, _ name: String) -> [Double] {
        if case let .numeric(v)? = t.features.column(named: name)?.values { return v }
        return []
    }

    @Test("Records follow the NSL-KDD schema, with attack names of the right class")
    func schema() throws {
        let t = Self.generate(2000)
        #expect(t.features.columnNames == NSLKDDSchema.featureNames)
        #expect(t.classNames == NSLKDDSchema.fiveClassNames)
        #expect(t.source == "simulated")
        #expect(t.rowCount == 2000 && t.features.rowCount == 2000)
        let allowed: [String: Set<String>] = ["protocol_type": Set(NSLKDDSchema.protocols), "flag": Set(NSLKDDSchema.flags),
                                              "service": Set(NSLKDDSchema.services)]
        for column in t.features.columns {
            if case let .categorical(codes, categories) = column.values {
                let values = try #require(allowed[column.name], "unexpected categorical column \(column.name)")
                #expect(Set(categories).isSubset(of: values))
                #expect(codes.allSatisfy { $0 >= 0 && Int($0) < categories.count })
                // first-appearance order
                var seen: [Int32] = []
                for c in codes where !seen.contains(c) { seen.append(c) }
                #expect(seen == Array(0..<Int32(categories.count)))
            } else {
                #expect(!NSLKDDSchema.symbolicFeatures.contains(column.name))
            }
        }
        guard case let .categorical(codes, attacks)? = t.metadata.column(named: "attack")?.values else {
            Issue.record("no attack column"); return
        }
        for (row, code) in codes.enumerated() {
            #expect(NSLKDDSchema.categoryOfAttack[attacks[Int(code)]] == t.classNames[t.labels[row]])
        }
    }

    @Test("The same seed gives the same table; another seed another")
    func determinism() {
        #expect(Self.generate(500, seed: 1) == Self.generate(500, seed: 1))
        #expect(Self.generate(500, seed: 1) != Self.generate(500, seed: 2))
    }

    @Test("Class proportions follow NSL-KDD with a floor of 15 rows for U2R")
    func proportions() {
        let sim = try TrafficSimulator()
        let counts = sim.classCounts
        #expect(counts.reduce(0, +) == 20_000)
        #expect(counts[4] == 15)
        #expect(abs(counts[0] - 10_692) <= 5 && abs(counts[1] - 7_292) <= 5 && abs(counts[2] - 1_850) <= 2)
        #expect(abs(counts[3] - 158) <= 1)
        let t = Self.generate(3000)
        #expect(t.classCounts == TrafficSimulator(rowCount: 3000).classCounts)
    }

    @Test("Integer counters are integral, binary features 0/1, rates in [0, 1] with two decimals")
    func kinds() {
        let t = Self.generate(3000)
        for name in NSLKDDSchema.featureNames where !NSLKDDSchema.symbolicFeatures.contains(name) {
            let v = Self.numeric(t, name)
            #expect(v.count == 3000)
            if name.hasSuffix("_rate") {
                #expect(v.allSatisfy { $0 >= 0 && $0 <= 1 && abs($0 * 100 - ($0 * 100).rounded()) < 1e-9 }, "\(name)")
            } else if NSLKDDSchema.binaryFeatures.contains(name) {
                #expect(v.allSatisfy { $0 == 0 || $0 == 1 }, "\(name)")
            } else {
                #expect(v.allSatisfy { $0 >= 0 && $0 == $0.rounded() }, "\(name)")
            }
        }
        #expect(Self.numeric(t, "src_bytes").max() ?? 0 > 10_000)
        #expect(Self.numeric(t, "count").allSatisfy { $0 >= 1 && $0 <= 511 })
    }

    @Test("Tiny sizes work: 0 rows, fewer rows than classes, and 10 rows with every class", arguments: [0, 1, 3, 10])
    func tiny(rows: Int) {
        let t = Self.generate(rows)
        #expect(t.rowCount == rows)
        #expect(t.features.columns.count == 41)
        if rows == 10 { #expect(t.classCounts == [2, 2, 2, 2, 2]) }
    }

    @Test("R2L overlaps Normal: its per-feature means are far closer to Normal's than DoS's are")
    func r2lOverlapsNormal() {
        let t = Self.generate(20_000, seed: 3)
        func mean(_ name: String, _ cls: Int) -> Double {
            let v = Self.numeric(t, name)
            var s = 0.0, n = 0.0
            for (i, l) in t.labels.enumerated() where l == cls { s += v[i]; n += 1 }
            return s / max(n, 1)
        }
        let rates = ["logged_in", "serror_rate", "same_srv_rate", "dst_host_same_srv_rate", "dst_host_serror_rate", "rerror_rate"]
        let r2l = rates.map { abs(mean($0, 3) - mean($0, 0)) }.reduce(0, +)
        let dos = rates.map { abs(mean($0, 1) - mean($0, 0)) }.reduce(0, +)
        #expect(r2l < dos / 3, "R2L distance \(r2l), DoS distance \(dos)")
        // …while still carrying a weak signal
        #expect(mean("hot", 3) > mean("hot", 0))
        #expect(mean("root_shell", 4) > mean("root_shell", 0))
    }

    @Test("A 1-NN baseline is good but not perfect, and worse on the rare classes")
    func nearestNeighbourBaseline() throws {
        let data = Self.generate(20_000, seed: 11)
        var rng = Xoshiro256StarStar(seed: 12)
        let (trainRows, testRows) = try StratifiedSplit(testFraction: 0.1).split(labels: data.labels, using: &rng)
        let train = data.gatherRows(trainRows.prefix(8000) + trainRows.filter { data.labels[$0] >= 3 })
        let test = data.gatherRows(testRows)
        let fitted = try Preprocessor().fit(train.features)
        let a = try train.labeledMatrix(using: fitted), b = try test.labeledMatrix(using: fitted)
        let d = a.features.columns
        var correct = [Int](repeating: 0, count: 5), total = [Int](repeating: 0, count: 5)
        a.features.withUnsafeBufferPointer { x in
            b.features.withUnsafeBufferPointer { y in
                for i in 0..<b.count {
                    var best = Float.infinity, label = 0
                    for j in 0..<a.count {
                        var s: Float = 0
                        for k in 0..<d { let t = x[j * d + k] - y[i * d + k]; s += t * t }
                        if s < best { best = s; label = a.labels[j] }
                    }
                    total[b.labels[i]] += 1
                    if label == b.labels[i] { correct[label] += 1 }
                }
            }
        }
        let accuracy = Double(correct.reduce(0, +)) / Double(total.reduce(0, +))
        let recall = (0..<5).map { Double(correct[$0]) / Double(max(total[$0], 1)) }
        print("simulated 1-NN accuracy \(accuracy), recall per class \(recall)")
        #expect(accuracy > 0.88 && accuracy < 0.99)
        #expect(recall[3] < recall[0] - 0.05 && recall[3] < recall[1] - 0.05)
    }
}
