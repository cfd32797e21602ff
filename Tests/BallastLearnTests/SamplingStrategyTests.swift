import BallastCore
import BallastLearn
import BallastTestSupport
import Testing

/// imbalanced-learn's `sampling_strategy` semantics, with exact counts and errors naming numbers.
@Suite("Sampling strategy")
struct SamplingStrategyTests {
    let names = ["normal", "dos", "u2r"]
    let counts = [100, 40, 5]

    @Test("auto: over-samplers raise every class but the majority to it; under-samplers lower all but the minority")
    func auto() throws {
        #expect(try SamplingStrategy.auto.targetCounts(counts: counts, classNames: names, purpose: .overSampling) == [100, 100, 100])
        #expect(try SamplingStrategy.auto.targetCounts(counts: counts, classNames: names, purpose: .underSampling) == [5, 5, 5])
        #expect(try SamplingStrategy.minority.targetCounts(counts: counts, classNames: names, purpose: .overSampling) == [100, 40, 100])
        #expect(try SamplingStrategy.notMinority.targetCounts(counts: counts, classNames: names, purpose: .overSampling) == [100, 100, 5])
        #expect(try SamplingStrategy.all.targetCounts(counts: counts, classNames: names, purpose: .underSampling) == [5, 5, 5])
        #expect(try SamplingStrategy.auto.selectedClasses(counts: counts, classNames: names, method: "tomek") == [true, true, false])
    }

    @Test("an empty class is never resampled; ties pick the lower class index")
    func emptyAndTies() throws {
        #expect(try SamplingStrategy.auto.targetCounts(counts: [10, 0, 4], classNames: names, purpose: .overSampling) == [10, 0, 10])
        #expect(try SamplingStrategy.minority.selectedClasses(counts: [7, 3, 3], classNames: names, method: "x") == [false, true, false])
    }

    @Test("a ratio works on two classes and is an error on three")
    func ratio() throws {
        #expect(try SamplingStrategy.ratio(0.5).targetCounts(counts: [100, 20], classNames: ["a", "b"], purpose: .overSampling) == [100, 50])
        #expect(try SamplingStrategy.ratio(0.5).targetCounts(counts: [100, 20], classNames: ["a", "b"], purpose: .underSampling) == [40, 20])
        #expect(throws: ResamplingError.ratioNeedsTwoClasses(found: 3)) {
            try SamplingStrategy.ratio(0.5).targetCounts(counts: counts, classNames: names, purpose: .overSampling)
        }
        #expect(throws: ResamplingError.self) {
            try SamplingStrategy.ratio(0.1).targetCounts(counts: [100, 20], classNames: ["a", "b"], purpose: .overSampling)
        }
    }

    @Test("counts below (over) or above (under) the current count name both numbers")
    func countErrors() throws {
        let over = ResamplingError.overSamplingBelowCurrent(className: "dos", requested: 30, current: 40)
        #expect(throws: over) { try SamplingStrategy.counts([1: 30]).targetCounts(counts: counts, classNames: names, purpose: .overSampling) }
        #expect(over.description.contains("40") && over.description.contains("30") && over.description.contains("dos"))
        #expect(throws: ResamplingError.underSamplingAboveCurrent(className: "u2r", requested: 6, current: 5)) {
            try SamplingStrategy.counts([2: 6]).targetCounts(counts: counts, classNames: names, purpose: .underSampling)
        }
        #expect(throws: ResamplingError.countsNotSupported(method: "tomek")) {
            try SamplingStrategy.counts([0: 6]).selectedClasses(counts: counts, classNames: names, method: "tomek")
        }
        #expect(throws: ResamplingError.self) {
            try SamplingStrategy.minority.targetCounts(counts: counts, classNames: names, purpose: .underSampling)
        }
    }

    @Test("strategy text parses keywords, ratios and class=count pairs, and rejects the rest clearly")
    func parsing() throws {
        #expect(try SamplingStrategy(parsing: "not-majority", classNames: names) == .notMajority)
        #expect(try SamplingStrategy(parsing: "0.5", classNames: names) == .ratio(0.5))
        #expect(try SamplingStrategy(parsing: "dos=60, U2R=50", classNames: names) == .counts([1: 60, 2: 50]))
        for bad in ["dos=", "probe=5", "dos=-1", "dos=3,dos=4", "1.5", "what"] {
            #expect(throws: ResamplingError.self, "\(bad)") { try SamplingStrategy(parsing: bad, classNames: names) }
        }
    }

    @Test("catalogue strategies name classes: exact totals (CLASS=N;…) and class selections (CLASS;…), resolved when run")
    func namedInCatalogue() throws {
        let data = ResamplerChecks.sample(counts: [90, 30, 12]).data
        var rng = Xoshiro256StarStar(seed: 1)
        let raised = try Catalog.resampler("ros:strategy=class1=50;CLASS2=40").resample(data, using: &rng)
        #expect(raised.classCounts == [90, 50, 40])
        let lowered = try Catalog.resampler("rus:strategy=class0").resample(data, using: &rng)
        #expect(lowered.classCounts == [12, 30, 12])
        let cleanedOne = try Catalog.resampler("tomek:strategy=class0").fitResample(data, schema: nil, using: &rng).data.classCounts
        #expect(cleanedOne[1] == 30 && cleanedOne[2] == 12)
        #expect(throws: ResamplingError.self) { try Catalog.resampler("ros:strategy=nope=50").resample(data, using: &rng) }
        #expect(throws: ResamplingError.self) { try Catalog.resampler("tomek:strategy=nope").resample(data, using: &rng) }
        #expect(throws: CatalogError.self) { try Catalog.resampler("ros:strategy=class1=x") }
        #expect(try SamplingStrategy.namedCounts(["class2": 7]).resolved(classNames: ["class0", "class1", "class2"]) == .counts([2: 7]))
    }
}
