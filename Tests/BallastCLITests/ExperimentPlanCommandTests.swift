import BallastTestSupport
import Foundation
import Testing

/// `ballast experiment --plan` and `--labelled-fractions`, and spec entries refused by name before
/// any work (issues 15 and 18).
@Suite("ballast experiment --plan")
struct ExperimentPlanCommandTests {
    let runner = CommandRunner()

    @Test("--plan lists the units of Experiments/semi-supervised.toml (seeds × fractions) and writes nothing")
    func plan() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let spec = SharedData.packageRoot.appendingPathComponent("Experiments/semi-supervised.toml").path
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-plan-\(UUID().uuidString)").path
        let result = try runner.run(["experiment", spec, "--plan", "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "semi-supervised: 9 units, 36 cells")
        #expect(lines.dropFirst().first?.hasPrefix("1. nsl-kdd: none (seed 1, 1% labels) × ssflow") == true)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("A bad fraction or detector is refused with exit 64, naming it")
    func refused() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-plan-\(UUID().uuidString)").path
        let fraction = try runner.run(["experiment", "--simulator", "500", "--labelled-fractions", "0.05,1.5", "--plan", "-o", output])
        #expect(fraction.status == 64 && fraction.stderr.contains("labelled-fractions: 1.5"))
        let detector = try runner.run(["experiment", "--simulator", "500", "--models", "dt,rf:trees=0", "--plan", "-o", output])
        #expect(detector.status == 64 && detector.stderr.contains("detector 'rf:trees=0'"))
    }
}
