import BallastCore
import BallastNN

/// The shape of a ``CNNClassifier`` network, shared by fitting, prediction and decoding: it checks
/// the sizes, counts the parameters without allocating, and builds the layers named as the PyTorch
/// module `BallastCNN` in the README names them (`conv.0.weight`, `lstm.weight_ih_l0_reverse`,
/// `head.1.weight`), so the saved weights load into it with `load_state_dict`.
///
/// - `conv`: per filter count, `Conv1d(channels, filters, kernel, padding)`, `BatchNorm1d(filters)`
///   (optional), `ReLU`, `MaxPool1d(pool)` — the input row is one channel of `inputs` positions.
/// - `lstm` (optional): an LSTM over the pooled positions (channels as features), bidirectional as
///   an option; its last hidden state (both directions' concatenated) replaces the flattened maps.
/// - `head`: `Dropout`, then per dense width `Linear`, `ReLU`, `Dropout`, then a `Linear` to one
///   logit per class. Dropout modules keep their index even at rate 0, as in PyTorch.
struct CNNArchitecture: Sendable, Equatable {
    var inputs: Int
    var filters: [Int]
    var kernelSize: Int
    var padding: CNNClassifier.Padding
    var poolSize: Int
    var batchNorm: Bool
    var recurrent: CNNClassifier.Recurrent?
    var denseWidths: [Int]
    var outputs: Int
    var dropout: Double

    /// The largest parameter count a decoded model may claim before anything is allocated.
    static let parameterCap = 200_000_000

    /// Zeros added at each end of a channel.
    var paddingWidth: Int { padding == .same ? (kernelSize - 1) / 2 : 0 }

    /// The sequence length after each convolution block, or a message naming the block that runs out
    /// of positions.
    func lengths() -> Result<[Int], LearnError> {
        var length = inputs, out: [Int] = []
        for (i, _) in filters.enumerated() {
            let convolved = length + 2 * paddingWidth - kernelSize + 1
            guard convolved >= 1, convolved >= poolSize else {
                let minimum = minimumInputs
                return .failure(.invalidParameter(
                    name: "features", value: "\(inputs) columns",
                    expected: "at least \(minimum) columns for \(filters.count) convolution block(s) with kernel \(kernelSize), \(padding.rawValue) padding and pool \(poolSize) (block \(i + 1) has \(length) positions); use fewer filters, a smaller kernel or pool"))
            }
            length = convolved / poolSize
            out.append(length)
        }
        return .success(out)
    }

    /// The fewest input columns the convolution blocks accept.
    var minimumInputs: Int {
        var length = 1
        for _ in filters { length = length * poolSize + kernelSize - 1 - 2 * paddingWidth }
        return max(length, 1)
    }

    /// Width of the features the head reads.
    func headInputs(finalLength: Int) -> Int {
        if let recurrent { return recurrent.hiddenSize * (recurrent.bidirectional ? 2 : 1) }
        return (filters.last ?? 1) * finalLength
    }

    /// Checks every size, then the parameter count against ``parameterCap`` without allocating.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)`` naming the catalogue key.
    func validate() throws {
        func invalid(_ name: String, _ value: Any, _ expected: String) -> LearnError {
            .invalidParameter(name: name, value: "\(value)", expected: expected)
        }
        guard inputs >= 1 && inputs <= 10_000_000 else { throw invalid("features", "\(inputs) columns", "1...10000000 feature columns") }
        guard outputs >= 1 && outputs <= 1_000_000 else { throw invalid("classes", outputs, "1...1000000 classes") }
        guard !filters.isEmpty && filters.count <= 16 else { throw invalid("filters", filters.count, "1...16 convolution blocks") }
        if let bad = filters.first(where: { !(1...65_536).contains($0) }) { throw invalid("filters", bad, "filter counts in 1...65536") }
        guard (1...1024).contains(kernelSize) else { throw invalid("kernel", kernelSize, "a window width in 1...1024") }
        guard (1...1024).contains(poolSize) else { throw invalid("pool", poolSize, "a pooling width in 1...1024") }
        if let bad = denseWidths.first(where: { !(1...65_536).contains($0) }) { throw invalid("dense", bad, "widths in 1...65536") }
        guard denseWidths.count <= 16 else { throw invalid("dense", denseWidths.count, "at most 16 dense layers") }
        if let recurrent, !(1...65_536).contains(recurrent.hiddenSize) { throw invalid("hidden", recurrent.hiddenSize, "an LSTM width in 1...65536") }
        guard dropout >= 0 && dropout < 0.95 else { throw invalid("dropout", dropout, "a rate in [0, 0.95)") }
        let final = try lengths().get().last ?? inputs
        guard parameterCount(finalLength: final) != nil else {
            throw invalid("filters", filters.map(String.init).joined(separator: "x"),
                          "a network of at most \(Self.parameterCap) parameters")
        }
    }

    /// Trainable scalars plus batch-norm statistics, or `nil` past ``parameterCap``.
    func parameterCount(finalLength: Int) -> Int? {
        var budget = ParameterBudget(cap: Self.parameterCap)
        var channels = 1
        for f in filters {
            budget.add(channels * kernelSize + 1, f)
            if batchNorm { budget.add(5, f) }
            channels = f
        }
        if let recurrent {
            budget.add(4 * recurrent.hiddenSize, channels + recurrent.hiddenSize + 2)
            if recurrent.bidirectional { budget.add(4 * recurrent.hiddenSize, channels + recurrent.hiddenSize + 2) }
        }
        var width = recurrent.map { $0.hiddenSize * ($0.bidirectional ? 2 : 1) } ?? channels * finalLength
        for w in denseWidths + [outputs] {
            budget.add(width + 1, w)
            width = w
        }
        return budget.count
    }

    /// Builds the network with fresh weights (He-uniform convolutions and dense layers, PyTorch's
    /// LSTM initialization); each dropout layer gets its own generator seeded from `rng`.
    /// - Precondition: ``validate()`` passed.
    func build(using rng: inout some RandomNumberGenerator) -> CNNNetwork {
        let lengths = (try? lengths().get()) ?? []
        precondition(lengths.count == filters.count, "CNNArchitecture.build: validate() first")
        var conv: [any Layer] = [], index = 0
        var channels = 1, length = inputs
        for (f, pooled) in zip(filters, lengths) {
            let layer = Conv1d(inputChannels: channels, outputChannels: f, length: length, kernelSize: kernelSize,
                               padding: paddingWidth, name: "conv.\(index)", using: &rng)
            conv.append(layer)
            index += 1
            if batchNorm {
                conv.append(BatchNorm1d(features: f, length: layer.outputLength, name: "conv.\(index)"))
                index += 1
            }
            conv.append(Activation(.relu, features: f * layer.outputLength))
            if poolSize > 1 { conv.append(MaxPool1d(channels: f, length: layer.outputLength, kernelSize: poolSize)) }
            index += 2
            channels = f
            length = pooled
        }
        var recurrentLayers: [LSTM] = []
        if let recurrent {
            recurrentLayers.append(LSTM(inputSize: channels, hiddenSize: recurrent.hiddenSize, sequenceLength: length,
                                        inputLayout: .channelMajor, name: "lstm", using: &rng))
            if recurrent.bidirectional {
                recurrentLayers.append(LSTM(inputSize: channels, hiddenSize: recurrent.hiddenSize, sequenceLength: length,
                                            inputLayout: .channelMajor, direction: .reverse, name: "lstm", using: &rng))
            }
        }
        var head: [any Layer] = []
        index = 0
        func dropoutLayer() {
            if dropout > 0 { head.append(Dropout(rate: Float(dropout), seed: rng.next())) }
            index += 1
        }
        var width = headInputs(finalLength: length)
        dropoutLayer()
        for w in denseWidths {
            head.append(Linear(width, w, initialization: .heUniform, name: "head.\(index)", using: &rng))
            head.append(Activation(.relu, features: w))
            index += 2
            dropoutLayer()
            width = w
        }
        head.append(Linear(width, outputs, initialization: .heUniform, name: "head.\(index)", using: &rng))
        return CNNNetwork(convolution: Sequential(conv), recurrent: recurrentLayers, head: Sequential(head))
    }

    /// Builds the network and loads `weights` (PyTorch names and shapes) into it.
    /// - Throws: ``LearnError`` when the sizes are invalid, ``CheckpointError`` when a tensor is
    ///   missing, misshapen or unexpected.
    func build(weights: [String: StoredTensor]) throws -> CNNNetwork {
        try validate()
        var rng = Xoshiro256StarStar(seed: 0)
        let network = build(using: &rng)
        try Checkpoint.load(into: network.parameters + network.buffers, from: SafeTensorsFile(tensors: weights))
        return network
    }
}
