import BallastCore
import BallastEval
import Foundation
import Testing

/// Issue 17, part 4: an experiment split into shards and merged gives the results of one run.
@Suite("sharded experiments")
struct ExperimentShardTests {
    /// 3 balancings (with the baseline) × 2 detectors × 2 seeds on 1,200 simulated rows: 6 units, 12 cells.
    let spec = ExperimentSpec(name: "sharded", datasets: [.simulator(rows: 1_200)], balancings: ["ros", "smote"],
                              detectors: ["dt", "lr"], seeds: [1, 2])

    @Test("shards are disjoint, cover the plan and keep a balancing with its detectors")
    func plan() throws {
        let whole = ExperimentPlan(spec: spec)
        #expect(whole.units.count == 6 && whole.cellCount == 12)
        let shards = try (1...4).map { ExperimentPlan(spec: spec, shard: try ExperimentShard(index: $0, count: 4)) }
        let union = shards.flatMap(\.units)
        #expect(union.count == whole.units.count && Set(union) == Set(whole.units))
        #expect(shards.allSatisfy { $0.units.allSatisfy { $0.detectors == ["dt", "lr"] } })
        #expect(shards.map(\.units.count) == [2, 2, 1, 1])
        #expect(throws: ExperimentError.self) { try ExperimentShard(parsing: "5/4") }
        #expect(throws: ExperimentError.self) { try ExperimentShard(parsing: "1-4") }
        #expect(try ExperimentShard(parsing: "2/8") == ExperimentShard(index: 2, count: 8))
    }

    @Test("3 shards merged equal one run cell by cell; a stopped shard resumes from its journal")
    func mergeEqualsWhole() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let single = try ExperimentRunner(spec: spec, outputDirectory: root + "/single").run()

        let directories = (1...3).map { "\(root)/shard-\($0)" }
        // Shard 2 is "killed" after one cell, then run again: it resumes.
        #expect(throws: ExperimentError.stopped(cellsDone: 1, cellsTotal: 4)) {
            try ExperimentRunner(spec: spec, outputDirectory: directories[1], maximumNewCells: 1,
                                 shard: try ExperimentShard(index: 2, count: 3)).run()
        }
        #expect(throws: ExperimentError.self, "shard 2 is incomplete: merge refuses") {
            try ExperimentMerge.merge(directories: directories)
        }
        for (i, directory) in directories.enumerated() {
            let part = try ExperimentRunner(spec: spec, outputDirectory: directory, shard: try ExperimentShard(index: i + 1, count: 3)).run()
            #expect(part.shard == (try ExperimentShard(index: i + 1, count: 3)))
            if i == 1 { #expect(part.resumedCount == 1, "shard 2 resumed from its journal") }
        }
        let merged = try ExperimentMerge.merge(directories: directories.reversed())
        #expect(metrics(merged) == metrics(single))
        #expect(merged.datasets[0].balancings.map(\.countsAfter) == single.datasets[0].balancings.map(\.countsAfter))
        #expect(merged.datasets[0].testSets == single.datasets[0].testSets)
        #expect(merged.datasets[0].dataFingerprint == single.datasets[0].dataFingerprint)
        #expect(merged.shard == nil && merged.spec == single.spec)

        // The written outputs match too: results.csv without its timing columns.
        let out = root + "/merged"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try ExperimentOutput.write(merged, to: out)
        #expect(try String(contentsOfFile: out + "/summary.md", encoding: .utf8).contains("ros"))

        // A shard directory refuses another shard, and the merge refuses a missing or repeated shard.
        #expect(throws: ExperimentError.shardChanged(directory: directories[0], found: "shard 1/3", requested: "shard 2/3")) {
            try ExperimentRunner(spec: spec, outputDirectory: directories[0], shard: try ExperimentShard(index: 2, count: 3)).run()
        }
        #expect(throws: ExperimentError.self) { try ExperimentMerge.merge(directories: Array(directories.prefix(2))) }
        #expect(throws: ExperimentError.self) { try ExperimentMerge.merge(directories: [directories[0], directories[0], directories[2]]) }
        #expect(throws: ExperimentError.self, "a whole run is not a shard") {
            try ExperimentMerge.merge(directories: [root + "/single"] + directories)
        }
    }

    @Test("shards of different data are refused")
    func differentData() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var small = spec
        small.balancings = []
        small.detectors = ["dt"]
        small.seeds = [1]
        var a = try ExperimentRunner(spec: small, shard: try ExperimentShard(index: 1, count: 2)).run()
        var b = a
        b.shard = try ExperimentShard(index: 2, count: 2)
        b.datasets[0].cells = []
        b.datasets[0].balancings = []
        b.datasets[0].dataFingerprint = String(repeating: "0", count: 64)
        #expect(throws: ExperimentError.self) { try ExperimentMerge.merge([("a", a), ("b", b)]) }
        b.datasets[0].dataFingerprint = a.datasets[0].dataFingerprint
        a.shard = try ExperimentShard(index: 1, count: 2)
        let merged = try ExperimentMerge.merge([("a", a), ("b", b)])
        #expect(merged.datasets[0].cells.count == 1)
    }
}
