import BallastCore
import BallastNN
import Foundation

/// `ballast-bench gradient-penalty check IN` and `ballast-bench gradient-penalty time [--batch 500]
/// [--features 122] [--hidden 256x256] [--pac 1] [--steps 20] [--warmup 3] [--seed 0]`: the Swift
/// side of `Benchmarks/gradient_penalty_check.py`.
///
/// `check` reads a CTGAN-style critic (`seq.0`, `seq.3`, … Linear layers with LeakyReLU(0.2) between
/// them, PyTorch's names), `real`, `fake` and `epsilon` from the safetensors file `IN` (metadata
/// `pac` and `lambda`), and prints one JSON line with, for `Tape<Double>` and `Tape<Float>`, the
/// gradient penalty, the critic loss `mean D(fake) − mean D(real) + penalty`, and the weight
/// gradients of both. `time` measures a plain critic step (critic on real and fake, backward) and a
/// WGAN-GP step (plus interpolates, recorded input gradient, penalty) with Dropout(0.5), as CTGAN's
/// discriminator has it, on random data; optimizer steps are left out of both.
func benchGradientPenalty(_ arguments: [String]) throws {
    switch arguments.first {
    case "check"?:
        guard arguments.count == 2 else { throw BenchError("usage: ballast-bench gradient-penalty check IN") }
        try checkGradientPenalty(path: arguments[1])
    case "time"?:
        try timeGradientPenalty(Array(arguments.dropFirst()))
    default:
        throw BenchError("usage: ballast-bench gradient-penalty check IN | time [--batch N] [--features N] [--hidden AxB] [--pac N] [--steps N]")
    }
}

/// CTGAN's discriminator: `pac` rows packed into one, then Linear, LeakyReLU(0.2) and Dropout per
/// hidden layer, and a Linear to one score.
final class PenaltyBenchCritic {
    let layers: [Linear]
    let pac: Int
    let dropouts: [Dropout]

    init(layers: [Linear], pac: Int, dropout: Float, seed: UInt64) {
        self.layers = layers
        self.pac = pac
        dropouts = (0..<max(layers.count - 1, 0)).map { Dropout(rate: dropout, seed: seed &+ UInt64($0)) }
    }

    var parameters: [Parameter] { layers.flatMap(\.parameters) }

    func forward<S: NNScalar>(_ x: Tensor, on tape: Tape<S>) -> Tensor {
        var h = tape.reshape(x, rows: x.rows / pac, columns: x.columns * pac)
        for (layer, dropout) in zip(layers, dropouts) {
            h = dropout.forward(tape.leakyReLU(layer.forward(h, on: tape, mode: .training), slope: 0.2), on: tape, mode: .training)
        }
        return layers[layers.count - 1].forward(h, on: tape, mode: .training)
    }
}

/// The penalty, the critic loss and the weight gradients of both, computed on a `Tape<S>`.
private func penaltyResults<S: NNScalar>(_ type: S.Type, critic: PenaltyBenchCritic, real: Matrix, fake: Matrix,
                                         epsilon: [Float], lambda: Float) -> [String: Any] {
    let tape = Tape<S>()
    let d = { (x: Tensor) in critic.forward(x, on: tape) }
    let r = tape.input(real), f = tape.input(fake)
    let e = tape.input(rows: epsilon.count, columns: 1, values: epsilon.map { S($0) })
    let penalty = tape.gradientPenalty(real: r, fake: f, epsilon: e, lambda: lambda, pac: critic.pac, critic: d)
    let loss = tape.add(tape.sub(tape.mean(d(f), axis: nil), tape.mean(d(r), axis: nil)), penalty)
    var results: [String: Any] = ["penalty": Double(tape.value(penalty)[0]), "loss": Double(tape.value(loss)[0])]
    for (name, value) in [("penalty_gradients", penalty), ("loss_gradients", loss)] {
        tape.backward(value)
        var gradients: [String: [Double]] = [:]
        for p in critic.parameters { gradients[p.name] = (tape.gradient(tape.parameter(p)) ?? []).map { Double($0) } }
        results[name] = gradients
    }
    for p in critic.parameters { p.zeroGradient() }
    return results
}

private func checkGradientPenalty(path: String) throws {
    let file = try SafeTensors.read(contentsOf: URL(fileURLWithPath: path))
    func matrix(_ name: String) throws -> Matrix {
        guard let t = file.tensors[name] else { throw BenchError("gradient-penalty: \(path) has no tensor '\(name)'") }
        let rows = t.shape.count == 2 ? t.shape[0] : 1
        return Matrix(rows: rows, columns: t.values.count / max(rows, 1), values: t.values)
    }
    guard let pac = Int(file.metadata["pac"] ?? ""), pac > 0, let lambda = Float(file.metadata["lambda"] ?? "") else {
        throw BenchError("gradient-penalty: metadata pac and lambda are required")
    }
    let indices = file.tensors.keys.compactMap { key -> Int? in
        guard key.hasPrefix("seq."), key.hasSuffix(".weight") else { return nil }
        return Int(key.dropFirst(4).dropLast(7))
    }.sorted()
    let layers = try indices.map { i in
        Linear(weight: Parameter(name: "seq.\(i).weight", value: try matrix("seq.\(i).weight")),
               bias: Parameter(name: "seq.\(i).bias", value: try matrix("seq.\(i).bias"), shape: [file.tensors["seq.\(i).bias"]?.values.count ?? 0]))
    }
    guard !layers.isEmpty else { throw BenchError("gradient-penalty: no seq.N.weight tensors") }
    let critic = PenaltyBenchCritic(layers: layers, pac: pac, dropout: 0, seed: 0)
    let real = try matrix("real"), fake = try matrix("fake"), epsilon = try matrix("epsilon").storage
    report(["benchmark": "gradient-penalty-check",
            "double": penaltyResults(Double.self, critic: critic, real: real, fake: fake, epsilon: epsilon, lambda: lambda),
            "float": penaltyResults(Float.self, critic: critic, real: real, fake: fake, epsilon: epsilon, lambda: lambda)])
}

private func timeGradientPenalty(_ arguments: [String]) throws {
    var options = ["--batch": "500", "--features": "122", "--hidden": "256x256", "--pac": "1", "--steps": "20",
                   "--warmup": "3", "--seed": "0"]
    var i = 0
    while i < arguments.count {
        guard arguments[i].hasPrefix("--"), i + 1 < arguments.count, options[arguments[i]] != nil else {
            throw BenchError("gradient-penalty time: bad argument \(arguments[i])")
        }
        options[arguments[i]] = arguments[i + 1]
        i += 2
    }
    let numbers = ["--batch", "--features", "--pac", "--steps", "--warmup", "--seed"].compactMap { options[$0].flatMap { Int($0) } }
    let hidden = (options["--hidden"] ?? "").split(separator: "x").compactMap { Int($0) }
    guard numbers.count == 6, numbers.allSatisfy({ $0 >= 0 }), !hidden.isEmpty else {
        throw BenchError("gradient-penalty time: --batch, --features, --pac, --steps, --warmup, --seed must be numbers, --hidden AxB")
    }
    let (batch, features, pac, steps, warmup) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4])
    guard pac > 0, batch % pac == 0, steps > 0 else { throw BenchError("gradient-penalty time: batch must be a multiple of pac") }
    var rng = Xoshiro256StarStar(seed: UInt64(numbers[5]))
    let widths = [features * pac] + hidden + [1]
    let layers = (0..<(widths.count - 1)).map { Linear(widths[$0], widths[$0 + 1], name: "seq.\(3 * $0)", using: &rng) }
    let critic = PenaltyBenchCritic(layers: layers, pac: pac, dropout: 0.5, seed: rng.next())
    let real = Matrix(rows: batch, columns: features, generator: { _, _ in Float(rng.nextNormal()) })
    let fake = Matrix(rows: batch, columns: features, generator: { _, _ in Float(rng.nextNormal()) })
    let tape = Tape<Float>()

    func step(penalty: Bool) {
        tape.reset()
        let r = tape.input(real), f = tape.input(fake)
        let d = { (x: Tensor) in critic.forward(x, on: tape) }
        var loss = tape.sub(tape.mean(d(f), axis: nil), tape.mean(d(r), axis: nil))
        if penalty {
            let e = tape.input(rows: batch / pac, columns: 1) { e in for k in e.indices { e[k] = rng.nextUniformFloat() } }
            loss = tape.add(loss, tape.gradientPenalty(real: r, fake: f, epsilon: e, pac: pac, critic: d))
        }
        tape.backward(loss)
        for p in critic.parameters { p.zeroGradient() }
    }
    var fields: [String: Any] = ["benchmark": "gradient-penalty-time", "batch": batch, "features": features, "pac": pac,
                                 "hidden": hidden, "steps": steps, "threads": Parallel.threadCount, "blas": GEMM.blasLibrary ?? "off"]
    for (name, penalty) in [("plain", false), ("penalty", true)] {
        for _ in 0..<warmup { step(penalty: penalty) }
        let growth = tape.arenaGrowthCount
        let elapsed = seconds { for _ in 0..<steps { step(penalty: penalty) } }
        fields["\(name)_ms"] = 1000 * elapsed / Double(steps)
        fields["\(name)_nodes"] = tape.nodeCount
        fields["\(name)_arena_growths"] = tape.arenaGrowthCount - growth
    }
    report(fields)
}
