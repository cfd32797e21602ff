import BallastCore
import BallastNN
import Foundation

/// `ballast-bench nn --shape cvae|cgan|realnvp|aeflow [--data F] [--labels F] [--rows N] [--batch 128]
/// [--seed 0] [--warmup 3]`: one training epoch of a deep-generator shape of the papers, timed.
///
/// The mirror of `Benchmarks/nn_shapes.py` (same shapes, activations, losses, Adam settings, and the
/// same batch policy: a seeded shuffle, batches of 128, the last one partial). A few warm-up steps
/// run first, untimed. Prints one JSON line: seconds per epoch, the mean loss of the last 100
/// batches, and the allocation behaviour of the timed epoch (tape arena growths and resident-set
/// growth).
func benchNN(_ arguments: [String]) throws {
    var options: [String: String] = ["--data": "Benchmarks/results/kdd_train_122.f32",
                                      "--labels": "Benchmarks/results/kdd_train_labels.txt",
                                      "--batch": "128", "--seed": "0", "--warmup": "3"]
    var i = 0
    while i < arguments.count {
        guard arguments[i].hasPrefix("--"), i + 1 < arguments.count else { throw BenchError("nn: bad argument \(arguments[i])") }
        options[arguments[i]] = arguments[i + 1]
        i += 2
    }
    guard let shape = options["--shape"], ["cvae", "cgan", "realnvp", "aeflow"].contains(shape) else {
        throw BenchError("nn: --shape must be cvae, cgan, realnvp or aeflow")
    }
    guard let batch = Int(options["--batch"] ?? ""), batch > 1, let seed = UInt64(options["--seed"] ?? ""),
          let warmup = Int(options["--warmup"] ?? ""), warmup >= 0 else {
        throw BenchError("nn: --batch, --seed and --warmup must be numbers")
    }
    let data = try NNBenchData(features: options["--data"]!, labels: options["--labels"]!, columns: 122,
                               limit: options["--rows"].flatMap { Int($0) })
    var rng = Xoshiro256StarStar(seed: seed)
    let model: NNBenchModel
    switch shape {
    case "cvae": model = try CVAEBench(data: data, rng: &rng)
    case "cgan": model = try CGANBench(data: data, rng: &rng)
    case "aeflow": model = try AEFlowBench(data: data, rng: &rng)
    default: model = try RealNVPBench(data: data, rng: &rng)
    }

    var order = rng.permutation(data.rows)
    for w in 0..<warmup { _ = model.step(order[(w * batch) ..< ((w + 1) * batch)]) }
    order = rng.permutation(data.rows)
    let growthBefore = model.arenaGrowthCount
    let rssBefore = residentBytes()
    var losses: [Float] = []
    losses.reserveCapacity(data.rows / batch + 1)
    let elapsed = seconds {
        var start = 0
        while start < data.rows {
            let end = min(start + batch, data.rows)
            losses.append(model.step(order[start..<end]))
            start = end
        }
    }
    let steps = losses.count
    let tail = losses.suffix(100)
    report([
        "benchmark": "nn", "shape": shape, "rows": data.rows, "batch": batch, "steps": steps,
        "seconds": elapsed, "loss_last100": Double(tail.reduce(0, +)) / Double(max(tail.count, 1)),
        "loss_first": Double(losses.first ?? .nan),
        "parameters": model.parameterCount, "flops_per_sample": model.flopsPerSample,
        "arena_growths_in_epoch": model.arenaGrowthCount - growthBefore, "arena_bytes": model.arenaBytes,
        "tape_nodes_per_step": model.tape.nodeCount,
        "rss_growth_bytes": residentBytes() - rssBefore, "peak_rss_bytes": ProcessMemory.peakResidentBytes(),
        "blas": GEMM.blasLibrary ?? "off", "threads": Parallel.threadCount, "optimizer": model.optimizerName,
    ])
}

/// Current resident set size in bytes (VmRSS), or 0 where /proc is absent.
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) * 1024
    }
    return 0
}

/// The benchmark matrix (row-major float32) and its class labels.
final class NNBenchData {
    let features: [Float]
    let labels: [Int]
    let rows: Int
    let columns: Int
    let classes = 5

    init(features path: String, labels labelPath: String, columns: Int, limit: Int?) throws {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw BenchError("nn: cannot read \(path) (run Benchmarks/prepare_kdd.py)")
        }
        var rows = bytes.count / (4 * columns)
        if let limit { rows = min(rows, limit) }
        var values = [Float](repeating: 0, count: rows * columns)
        _ = values.withUnsafeMutableBytes { out in bytes.copyBytes(to: out, count: rows * columns * 4) }
        guard let text = try? String(contentsOfFile: labelPath, encoding: .utf8) else {
            throw BenchError("nn: cannot read \(labelPath)")
        }
        let parsed = text.split(separator: "\n").prefix(rows).map { Int($0) ?? -1 }
        guard parsed.count == rows, parsed.allSatisfy({ (0..<5).contains($0) }) else {
            throw BenchError("nn: \(labelPath) must hold \(rows) labels in 0..<5")
        }
        features = values
        labels = parsed
        self.rows = rows
        self.columns = columns
    }

    /// Writes the rows `indices` into `out` (`indices.count × columns`).
    func gather(_ indices: ArraySlice<Int>, into out: UnsafeMutableBufferPointer<Float>) {
        features.withUnsafeBufferPointer { source in
            var o = 0
            for r in indices {
                (out.baseAddress! + o).update(from: source.baseAddress! + r * columns, count: columns)
                o += columns
            }
        }
    }

    /// Writes the one-hot classes of rows `indices` into `out` (`indices.count × classes`).
    func oneHot(_ indices: ArraySlice<Int>, into out: UnsafeMutableBufferPointer<Float>) {
        out.update(repeating: 0)
        var o = 0
        for r in indices {
            out[o + labels[r]] = 1
            o += classes
        }
    }
}

/// One shape's model and training step.
class NNBenchModel {
    let tape = Tape<Float>()
    let data: NNBenchData
    /// Labels of the current batch (capacity kept between steps).
    var batchLabels: [Int] = []
    var rng: Xoshiro256StarStar

    init(base data: NNBenchData, rng: inout Xoshiro256StarStar) {
        self.data = data
        self.rng = rng.split()
        batchLabels.reserveCapacity(1024)
    }

    var parts: [any Trainable] { [] }
    var parameterCount: Int { parts.reduce(0) { $0 + $1.parameterCount } }
    var flopsPerSample: Int { parts.reduce(0) { $0 + $1.flopsPerSample() } }
    var arenaGrowthCount: Int { tape.arenaGrowthCount }
    var arenaBytes: Int { tape.arenaBytes }
    var optimizerName: String { "BallastNN.Adam" }

    /// One optimization step on the rows `indices`; returns the loss.
    func step(_ indices: ArraySlice<Int>) -> Float { 0 }

    /// Starts a step: resets the tape and records the batch, its one-hot classes and labels.
    func begin(_ indices: ArraySlice<Int>) -> (x: Tensor, condition: Tensor) {
        tape.reset()
        batchLabels.removeAll(keepingCapacity: true)
        for r in indices { batchLabels.append(data.labels[r]) }
        let x = tape.input(rows: indices.count, columns: data.columns) { data.gather(indices, into: $0) }
        let c = tape.input(rows: indices.count, columns: data.classes) { data.oneHot(indices, into: $0) }
        return (x, c)
    }

    /// A `rows × columns` tensor of standard normal draws.
    func noise(rows: Int, columns: Int) -> Tensor {
        tape.input(rows: rows, columns: columns) { rng.fillNormal($0) }
    }

    /// A constant tensor.
    func constant(_ value: Float, rows: Int, columns: Int) -> Tensor {
        tape.input(rows: rows, columns: columns) { $0.update(repeating: value) }
    }

    func scalar(_ t: Tensor) -> Float { tape.withValue(t) { $0[0] } }
}

/// DCBN-VAE-style conditional VAE: encoder [x, onehot] 127→256 (conditional batch norm, ReLU)→2×32,
/// decoder [z, onehot] 37→256 (conditional batch norm, ReLU)→122 (sigmoid); loss = summed squared
/// error per row + KL, averaged over the batch.
final class CVAEBench: NNBenchModel {
    let enc1: Linear, encNorm: ConditionalBatchNorm1d, enc2: Linear
    let dec1: Linear, decNorm: ConditionalBatchNorm1d, dec2: Linear
    let adam: Adam
    let latent = 32

    init(data: NNBenchData, rng: inout Xoshiro256StarStar) throws {
        let f = data.columns, k = data.classes
        enc1 = Linear(f + k, 256, initialization: .pytorchDefault, name: "encoder.0", using: &rng)
        encNorm = ConditionalBatchNorm1d(features: 256, classes: k, name: "encoder.1")
        enc2 = Linear(256, 2 * 32, initialization: .pytorchDefault, name: "encoder.3", using: &rng)
        dec1 = Linear(32 + k, 256, initialization: .pytorchDefault, name: "decoder.0", using: &rng)
        decNorm = ConditionalBatchNorm1d(features: 256, classes: k, name: "decoder.1")
        dec2 = Linear(256, f, initialization: .pytorchDefault, name: "decoder.3", using: &rng)
        adam = try Adam(parameters: ([enc1, encNorm, enc2, dec1, decNorm, dec2] as [any Trainable]).flatMap(\.parameters), learningRate: 1e-3)
        super.init(base: data, rng: &rng)
    }

    override var parts: [any Trainable] { [enc1, encNorm, enc2, dec1, decNorm, dec2] }

    override func step(_ indices: ArraySlice<Int>) -> Float {
        let (x, c) = begin(indices)
        let b = indices.count
        let h = tape.relu(encNorm.forward(enc1.forward(tape.concat(x, c), on: tape, mode: .training),
                                          labels: batchLabels, on: tape, mode: .training))
        let stats = enc2.forward(h, on: tape, mode: .training)
        let mu = tape.slice(stats, columns: 0..<latent), logVariance = tape.slice(stats, columns: latent..<(2 * latent))
        let z = tape.add(mu, tape.mul(noise(rows: b, columns: latent), tape.exp(tape.mul(logVariance, scalar: 0.5))))
        let d = tape.relu(decNorm.forward(dec1.forward(tape.concat(z, c), on: tape, mode: .training),
                                          labels: batchLabels, on: tape, mode: .training))
        let reconstruction = tape.sigmoid(dec2.forward(d, on: tape, mode: .training))
        let loss = tape.add(tape.mul(tape.mseLoss(reconstruction, x), scalar: Float(data.columns)),
                            tape.gaussianKL(mean: mu, logVariance: logVariance))
        adam.zeroGradients()
        tape.backward(loss)
        adam.step()
        return scalar(loss)
    }
}

/// Conditional GAN: G [z(100), onehot] 105→128→256→122 (ReLU, sigmoid output), D [x, onehot]
/// 127→256→128→1 (LeakyReLU 0.2, logit); per batch one D step on real + detached fake, then one G
/// step through the updated D (binary cross-entropy on logits, Adam 2e-4, β₁ = 0.5).
final class CGANBench: NNBenchModel {
    let g1: Linear, g2: Linear, g3: Linear
    let d1: Linear, d2: Linear, d3: Linear
    let adamG: Adam, adamD: Adam
    let latent = 100

    init(data: NNBenchData, rng: inout Xoshiro256StarStar) throws {
        let f = data.columns, k = data.classes
        g1 = Linear(100 + k, 128, initialization: .pytorchDefault, name: "generator.0", using: &rng)
        g2 = Linear(128, 256, initialization: .pytorchDefault, name: "generator.2", using: &rng)
        g3 = Linear(256, f, initialization: .pytorchDefault, name: "generator.4", using: &rng)
        d1 = Linear(f + k, 256, initialization: .pytorchDefault, name: "discriminator.0", using: &rng)
        d2 = Linear(256, 128, initialization: .pytorchDefault, name: "discriminator.2", using: &rng)
        d3 = Linear(128, 1, initialization: .pytorchDefault, name: "discriminator.4", using: &rng)
        adamG = try Adam(parameters: [g1, g2, g3].flatMap(\.parameters), learningRate: 2e-4, beta1: 0.5)
        adamD = try Adam(parameters: [d1, d2, d3].flatMap(\.parameters), learningRate: 2e-4, beta1: 0.5)
        super.init(base: data, rng: &rng)
    }

    override var parts: [any Trainable] { [g1, g2, g3, d1, d2, d3] }

    func discriminator(_ x: Tensor, _ c: Tensor) -> Tensor {
        let h1 = tape.leakyReLU(d1.forward(tape.concat(x, c), on: tape, mode: .training), slope: 0.2)
        let h2 = tape.leakyReLU(d2.forward(h1, on: tape, mode: .training), slope: 0.2)
        return d3.forward(h2, on: tape, mode: .training)
    }

    override func step(_ indices: ArraySlice<Int>) -> Float {
        let (x, c) = begin(indices)
        let b = indices.count
        let z = noise(rows: b, columns: latent)
        let h1 = tape.relu(g1.forward(tape.concat(z, c), on: tape, mode: .training))
        let h2 = tape.relu(g2.forward(h1, on: tape, mode: .training))
        let fake = tape.sigmoid(g3.forward(h2, on: tape, mode: .training))
        let ones = constant(1, rows: b, columns: 1), zeros = constant(0, rows: b, columns: 1)

        let lossD = tape.add(tape.binaryCrossEntropyWithLogits(discriminator(x, c), ones),
                             tape.binaryCrossEntropyWithLogits(discriminator(tape.detach(fake), c), zeros))
        adamD.zeroGradients()
        tape.backward(lossD)
        adamD.step()

        tape.rereadParameters()
        let lossG = tape.binaryCrossEntropyWithLogits(discriminator(fake, c), ones)
        adamG.zeroGradients()
        tape.backward(lossG)
        adamG.step()
        return scalar(lossD) + scalar(lossG)
    }
}

/// The coupling layers of a RealNVP (Dinh et al., 2017) on alternating feature masks; each
/// coupling's net is `d→w→w→2d` (ReLU), giving `s = tanh(·)` and `t` for the unmasked features.
final class CouplingStack {
    let nets: [(Linear, Linear, Linear)]
    let masks: [Matrix]

    init(dimensions d: Int, couplings: Int, width: Int, name: String, rng: inout Xoshiro256StarStar) {
        var nets: [(Linear, Linear, Linear)] = []
        var masks: [Matrix] = []
        for k in 0..<couplings {
            nets.append((Linear(d, width, initialization: .pytorchDefault, name: "\(name).\(k).net.0", using: &rng),
                         Linear(width, width, initialization: .pytorchDefault, name: "\(name).\(k).net.2", using: &rng),
                         Linear(width, 2 * d, initialization: .pytorchDefault, name: "\(name).\(k).net.4", using: &rng)))
            masks.append(Matrix(rows: 1, columns: d, generator: { _, j in Float((j + k) % 2) }))
        }
        self.nets = nets
        self.masks = masks
    }

    var parts: [any Trainable] { nets.flatMap { [$0.0, $0.1, $0.2] as [any Trainable] } }

    /// The negative mean log-likelihood of `x` under the flow with a standard normal base.
    func negativeLogLikelihood(_ x: Tensor, on tape: Tape<Float>) -> Tensor {
        var h = x
        var logDeterminant: Tensor?
        for k in 0..<nets.count {
            let (n1, n2, n3) = nets[k]
            let mask = tape.input(masks[k])
            let masked = tape.mul(h, mask)
            let a1 = tape.relu(n1.forward(masked, on: tape, mode: .training))
            let a2 = tape.relu(n2.forward(a1, on: tape, mode: .training))
            let out = n3.forward(a2, on: tape, mode: .training)
            // y = h ⊙ exp(s) + t, s = tanh(out[:, :f]) ⊙ (1 − mask), t = out[:, f:] ⊙ (1 − mask), fused.
            let (y, logScale) = tape.affineCoupling(h, scaleAndShift: out, mask: mask)
            h = y
            logDeterminant = logDeterminant.map { tape.add($0, logScale) } ?? logScale
        }
        return tape.neg(tape.standardNormalLogDensity(h, logDeterminant: logDeterminant!))
    }
}

/// RealNVP with 8 affine couplings on alternating feature masks, nets 122→128→128→244; loss is the
/// negative mean log-likelihood under a standard normal base.
final class RealNVPBench: NNBenchModel {
    let flow: CouplingStack
    let adam: Adam

    init(data: NNBenchData, rng: inout Xoshiro256StarStar) throws {
        flow = CouplingStack(dimensions: data.columns, couplings: 8, width: 128, name: "couplings", rng: &rng)
        adam = try Adam(parameters: flow.parts.flatMap(\.parameters), learningRate: 1e-3)
        super.init(base: data, rng: &rng)
    }

    override var parts: [any Trainable] { flow.parts }

    override func step(_ indices: ArraySlice<Int>) -> Float {
        let (x, _) = begin(indices)
        let loss = flow.negativeLogLikelihood(x, on: tape)
        adam.zeroGradients()
        tape.backward(loss)
        adam.step()
        return scalar(loss)
    }
}

/// AE-Flow with Ballast's `ae-flow` defaults: encoder 122→64 (LeakyReLU 0.2)→16 with batch norm
/// (no affine part), decoder 16→64 (LeakyReLU 0.2)→122 (sigmoid), 4 affine couplings on the code
/// with nets 16→64→64→32; loss = summed squared error per row + 0.1 × the code's negative
/// log-likelihood, both averaged over the batch.
final class AEFlowBench: NNBenchModel {
    let enc1: Linear, enc2: Linear, codeNorm: BatchNorm1d, dec1: Linear, dec2: Linear
    let flow: CouplingStack
    let adam: Adam

    init(data: NNBenchData, rng: inout Xoshiro256StarStar) throws {
        let f = data.columns
        enc1 = Linear(f, 64, initialization: .pytorchDefault, name: "encoder.0", using: &rng)
        enc2 = Linear(64, 16, initialization: .pytorchDefault, name: "encoder.2", using: &rng)
        codeNorm = BatchNorm1d(features: 16, affine: false, name: "encoder.3")
        dec1 = Linear(16, 64, initialization: .pytorchDefault, name: "decoder.0", using: &rng)
        dec2 = Linear(64, f, initialization: .pytorchDefault, name: "decoder.2", using: &rng)
        flow = CouplingStack(dimensions: 16, couplings: 4, width: 64, name: "flow", rng: &rng)
        adam = try Adam(parameters: ([enc1, enc2, dec1, dec2] as [any Trainable] + flow.parts).flatMap(\.parameters), learningRate: 1e-3)
        super.init(base: data, rng: &rng)
    }

    override var parts: [any Trainable] { [enc1, enc2, codeNorm, dec1, dec2] + flow.parts }

    override func step(_ indices: ArraySlice<Int>) -> Float {
        let (x, _) = begin(indices)
        let h = tape.leakyReLU(enc1.forward(x, on: tape, mode: .training), slope: 0.2)
        let code = codeNorm.forward(enc2.forward(h, on: tape, mode: .training), on: tape, mode: .training)
        let d = tape.leakyReLU(dec1.forward(code, on: tape, mode: .training), slope: 0.2)
        let reconstruction = tape.sigmoid(dec2.forward(d, on: tape, mode: .training))
        let loss = tape.add(tape.mul(tape.mseLoss(reconstruction, x), scalar: Float(data.columns)),
                            tape.mul(flow.negativeLogLikelihood(code, on: tape), scalar: 0.1))
        adam.zeroGradients()
        tape.backward(loss)
        adam.step()
        return scalar(loss)
    }
}
