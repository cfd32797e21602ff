import BallastCore
import BallastLearn
import BallastTestSupport
import Testing

/// SMOTE's bounded neighbour search (`knn-partition`, issue 17 part 3).
@Suite("SMOTE with a partitioned neighbour search")
struct SMOTEPartitionTests {
    @Test("classes no larger than the part size give exactly the default output")
    func smallClassesUnchanged() throws {
        let data = OverSamplerPropertyTests.twoBlobs(minority: 30)
        var a = Xoshiro256StarStar(seed: 5), b = Xoshiro256StarStar(seed: 5)
        let exact = try SMOTE(k: 4).resample(data, using: &a)
        let bounded = try SMOTE(k: 4, neighborPartitionRows: 30).resample(data, using: &b)
        #expect(exact == bounded)
    }

    @Test("a partitioned class: exact counts, seeded, and every new row between two rows of its class")
    func partitioned() throws {
        let data = OverSamplerPropertyTests.twoBlobs(minority: 150, columns: 2)
        var a = Xoshiro256StarStar(seed: 6), b = Xoshiro256StarStar(seed: 6)
        let smote = SMOTE(k: 3, typeAware: false, neighborPartitionRows: 40)
        let out = try smote.resample(data, using: &a)
        #expect(out == (try smote.resample(data, using: &b)))
        #expect(out.classCounts == [200, 200])
        let members = data.features.gatherRows(Array(200..<350))
        for r in data.count..<out.count {
            let p = out.features.row(r)
            let between = (0..<members.rows).contains { i in
                (0..<members.rows).contains { j in i != j && OverSamplerPropertyTests.onSegment(p, members.row(i), members.row(j)) }
            }
            #expect(between, "row \(r) is not between two minority rows")
        }
    }

    @Test("knn-partition is validated: not above k at fit time, out of range or not a number in the catalog")
    func validation() throws {
        let data = OverSamplerPropertyTests.twoBlobs()
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: LearnError.invalidParameter(name: "knn-partition", value: "5", expected: "more rows per part than k = 5")) {
            try SMOTE(k: 5, neighborPartitionRows: 5).resample(data, using: &rng)
        }
        for text in ["smote:knn-partition=1", "smote:knn-partition=-4", "smote:knn-partition=many", "smote:knn-partition=1e9"] {
            #expect(throws: CatalogError.self, "\(text)") { try Catalog.resampler(text) }
            do { _ = try Catalog.resampler(text) } catch { #expect("\(error)".contains("knn-partition"), "\(error)") }
        }
        let parsed = try #require(try Catalog.resampler("smote:knn-partition=4096") as? SMOTE)
        #expect(parsed.neighborPartitionRows == 4096)
        #expect((try #require(try Catalog.resampler("smote") as? SMOTE)).neighborPartitionRows == nil)
    }

    /// ADASYN and both Borderline-SMOTE variants with `knn-partition` (their search among all rows is bounded too).
    static let allClassSearchers: [(String, any Resampler, any Resampler)] = [
        ("adasyn", ADASYN(k: 3, typeAware: false), ADASYN(k: 3, typeAware: false, neighborPartitionRows: 40)),
        ("borderline 1", BorderlineSMOTE(k: 3, m: 6, typeAware: false),
         BorderlineSMOTE(k: 3, m: 6, typeAware: false, neighborPartitionRows: 40)),
        ("borderline 2", BorderlineSMOTE(k: 3, m: 6, variant: .two, typeAware: false),
         BorderlineSMOTE(k: 3, m: 6, variant: .two, typeAware: false, neighborPartitionRows: 40)),
    ]

    @Test("ADASYN and Borderline-SMOTE: searches no larger than the part size give exactly the default output")
    func allClassSmallUnchanged() throws {
        let data = OverSamplerPropertyTests.twoBlobs(minority: 30)
        for (name, exact, _) in Self.allClassSearchers {
            let bounded: any Resampler = switch exact {
            case let a as ADASYN: ADASYN(k: a.k, typeAware: false, neighborPartitionRows: 400)
            case let b as BorderlineSMOTE: BorderlineSMOTE(k: b.k, m: b.m, variant: b.variant, typeAware: false, neighborPartitionRows: 400)
            default: exact
            }
            var a = Xoshiro256StarStar(seed: 7), b = Xoshiro256StarStar(seed: 7)
            #expect(try exact.resample(data, using: &a) == bounded.resample(data, using: &b), "\(name)")
        }
    }

    @Test("ADASYN and Borderline-SMOTE partitioned: exact counts, seeded, new rows inside the data's range")
    func allClassPartitioned() throws {
        let data = OverSamplerPropertyTests.twoBlobs(minority: 150, columns: 2)
        for (name, _, bounded) in Self.allClassSearchers {
            var a = Xoshiro256StarStar(seed: 8), b = Xoshiro256StarStar(seed: 8)
            let out = try bounded.resample(data, using: &a)
            #expect(out == (try bounded.resample(data, using: &b)), "\(name)")
            #expect(out.classCounts == [200, 200], "\(name)")
            for c in 0..<2 {
                let column = (0..<data.count).map { data.features[$0, c] }
                let (lo, hi) = (column.min()!, column.max()!)
                #expect((data.count..<out.count).allSatisfy { out.features[$0, c] >= lo - 1e-4 && out.features[$0, c] <= hi + 1e-4 }, "\(name)")
            }
        }
    }

    @Test("ADASYN and Borderline-SMOTE validate knn-partition against k (and m) and parse it from the catalogue")
    func allClassValidation() throws {
        let data = OverSamplerPropertyTests.twoBlobs()
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: LearnError.invalidParameter(name: "knn-partition", value: "5", expected: "more rows per part than k = 5")) {
            try ADASYN(k: 5, neighborPartitionRows: 5).resample(data, using: &rng)
        }
        #expect(throws: LearnError.invalidParameter(name: "knn-partition", value: "10",
                                                    expected: "more rows per part than k = 5 and m = 10")) {
            try BorderlineSMOTE(k: 5, m: 10, neighborPartitionRows: 10).resample(data, using: &rng)
        }
        #expect((try #require(try Catalog.resampler("adasyn:knn-partition=4096") as? ADASYN)).neighborPartitionRows == 4096)
        #expect((try #require(try Catalog.resampler("borderline-smote:knn-partition=512") as? BorderlineSMOTE)).neighborPartitionRows == 512)
        #expect((try #require(try Catalog.resampler("adasyn") as? ADASYN)).neighborPartitionRows == nil)
        #expect(throws: CatalogError.self) { try Catalog.resampler("borderline-smote:knn-partition=1") }
    }
}
