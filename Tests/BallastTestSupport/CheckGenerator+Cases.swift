import BallastCore
import BallastData
import BallastLearn

extension GeneratorChecks {
    /// The over-sampler around the generator: exact counts, original rows first, valid records.
    static func oversamplerFailures<G: Generator>(_ generator: G, sample: Sample) -> [String] {
        let data = sample.data
        let wanted = [3: 260, 4: 230]
        var rng = Xoshiro256StarStar(seed: 8)
        let result: ResamplingResult
        do {
            result = try GenerativeOversampler(generator: generator, strategy: .counts(wanted), name: "checked")
                .fitResample(data, schema: sample.schema, using: &rng)
        } catch {
            return ["over-sampler: raising two classes threw \(error)"]
        }
        var f: [String] = []
        let counts = result.data.classCounts
        for (c, n) in wanted where counts[c] != n { f.append("over-sampler: class \(c) has \(counts[c]) rows, expected exactly \(n)") }
        if result.data.gatherRows(0..<data.count) != data { f.append("over-sampler: the original rows are not kept first and unchanged") }
        var snapped = result.data.features
        sample.schema.snap(&snapped)
        let moved = zip(snapped.storage, result.data.features.storage).map { abs($0 - $1) }.max() ?? 0
        if moved > 1e-3 { f.append("valid records: generated rows are not valid records of the schema (snap moves a value by \(moved))") }
        if let (r, c) = result.data.features.firstNonFinite() { f.append("valid records: row \(r), column \(c) is not finite") }
        if result.generators.count != 1 || result.generators.first?.classes.count != wanted.count {
            f.append("over-sampler: the generator report is missing or does not cover the raised classes")
        }
        return f
    }

    /// Classes of 1, 2 and 5 rows: the documented errors, training, and the over-sampler's SMOTE fallback.
    static func tinyClassFailures<G: Generator>(_ generator: G, sample: Sample) -> [String] {
        var f: [String] = []
        for size in [1, 2, 5] {
            let data = withClass(4, rows: size, from: sample.data)
            var rng = Xoshiro256StarStar(seed: 9)
            do {
                let model = try generator.fit(data, schema: sample.schema, using: &rng)
                if size == 1 && generator.conditioning == .perClass {
                    f.append("tiny classes: a per-class generator fitted a class of 1 row instead of throwing classTooSmall")
                }
                if model.trainedClasses.contains(4) {
                    var draw = Xoshiro256StarStar(seed: 10)
                    let rows = try model.sample(10, of: 4, using: &draw)
                    if rows.rows != 10 || rows.firstNonFinite() != nil { f.append("tiny classes: a class of \(size) rows sampled \(rows.rows) rows or non-finite values") }
                }
            } catch let error as GeneratorError {
                if case .classTooSmall = error, size == 1 && generator.conditioning == .perClass { continue }
                f.append("tiny classes: a class of \(size) rows threw \(error)")
            } catch {
                f.append("tiny classes: a class of \(size) rows threw \(error)")
            }
            var over = Xoshiro256StarStar(seed: 11)
            do {
                let result = try GenerativeOversampler(generator: generator, strategy: .counts([4: 40]), name: "checked")
                    .fitResample(data, schema: sample.schema, using: &over)
                if result.data.classCounts[4] != 40 { f.append("tiny classes: the over-sampler raised a class of \(size) rows to \(result.data.classCounts[4]), not 40") }
                if !result.warnings.contains(where: { "\($0)".contains("SMOTE") }) {
                    f.append("tiny classes: no warning that a class of \(size) rows was over-sampled by SMOTE")
                }
            } catch {
                f.append("tiny classes: the over-sampler threw \(error) on a class of \(size) rows")
            }
        }
        return f
    }

    /// A per-class generator's rows for class 3 are the same whatever the other classes hold.
    static func isolationFailures<G: Generator>(_ generator: G, sample: Sample) -> [String] {
        let data = sample.data
        var other = data
        other.features.withUnsafeMutableBufferPointer { x in
            for (r, label) in data.labels.enumerated() where label != 3 {
                for c in 0..<data.features.columns { x[r * data.features.columns + c] *= -1.5 }
            }
        }
        let fewer = data.gatherRows(data.labels.indices.filter { data.labels[$0] == 3 || $0 % 2 == 0 })
        do {
            var a = Xoshiro256StarStar(seed: 12), b = Xoshiro256StarStar(seed: 12), c = Xoshiro256StarStar(seed: 12)
            let base = try draw(generator.fit(data, schema: sample.schema, using: &a), 30, 3, seed: 13)
            let changed = try draw(generator.fit(other, schema: sample.schema, using: &b), 30, 3, seed: 13)
            let dropped = try draw(generator.fit(fewer, schema: sample.schema, using: &c), 30, 3, seed: 13)
            if base != changed || base != dropped { return ["isolation: a per-class network's rows changed when other classes' rows did"] }
        } catch {
            return ["isolation: fitting threw \(error)"]
        }
        return []
    }

    /// The documented errors.
    static func errorFailures<G: Generator>(_ generator: G, model: G.Model, sample: Sample) -> [String] {
        var f: [String] = []
        let data = sample.data
        func expect(_ what: String, _ body: () throws -> Void, matches: (any Error) -> Bool) {
            do {
                try body()
                f.append("errors: \(what) did not throw")
            } catch {
                if !matches(error) { f.append("errors: \(what) threw \(error), not the documented error") }
            }
        }
        var rng = Xoshiro256StarStar(seed: 14)
        let empty = LabeledMatrix(features: Matrix(rows: 0, columns: data.features.columns), labels: [], classNames: data.classNames)
        expect("empty data", { _ = try generator.fit(empty, schema: sample.schema, using: &rng) }) { ($0 as? LearnError) == .emptyData }
        var nan = data
        nan.features[5, 2] = .nan
        expect("a NaN feature", { _ = try generator.fit(nan, schema: sample.schema, using: &rng) }) { ($0 as? LearnError) == .nonFinite(row: 5, column: 2) }
        let narrow = FeatureSchema(inferredFrom: data.features.selectColumns(Array(0..<(data.features.columns - 1))))
        expect("a schema of the wrong width", { _ = try generator.fit(data, schema: narrow, using: &rng) }) {
            if case .featureCountMismatch = $0 as? LearnError { return true }
            return false
        }
        expect("a negative count", { _ = try model.sample(-1, of: model.trainedClasses.first ?? 0, using: &rng) }) {
            if case .invalidParameter = $0 as? LearnError { return true }
            return false
        }
        expect("an unknown class", { _ = try model.sample(3, of: data.classNames.count, using: &rng) }) {
            if case .classNotTrained = $0 as? GeneratorError { return true }
            return false
        }
        return f
    }

    /// `data` with class `c` cut to its first `rows` rows.
    static func withClass(_ c: Int, rows: Int, from data: LabeledMatrix) -> LabeledMatrix {
        var kept = 0
        return data.gatherRows(data.labels.indices.filter { r in
            guard data.labels[r] == c else { return true }
            kept += 1
            return kept <= rows
        })
    }
}
