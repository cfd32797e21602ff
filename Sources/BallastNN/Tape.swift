import BallastCore

/// A reverse-mode automatic-differentiation tape over 2-D tensors (`rows × columns`, row-major).
///
/// Each op computes its value at once and appends a record of what it did; ``backward(_:)`` walks
/// the records in reverse and accumulates gradients, so a tensor used by several ops receives the
/// sum of their contributions. Records are plain enum cases switched over in the backward pass (no
/// closures), and every value and gradient lives in one flat arena of scalars. ``reset()`` forgets
/// the records but keeps the arena, so after the first training step, steps of the same shapes
/// allocate nothing on the tape (see ``arenaGrowthCount``).
///
/// Generic over the scalar so that the same layer code runs on `Tape<Float>` (training) and on
/// `Tape<Double>` (finite-difference checks, see ``GradientCheck``). All per-element work happens in
/// ``NNScalar`` kernels, which are compiled separately for each scalar type.
///
/// ```swift
/// let tape = Tape<Float>()
/// let x = tape.input(batch)
/// let loss = tape.mean(tape.relu(layer.forward(x, on: tape, mode: .training)), axis: nil)
/// tape.backward(loss)          // adds into every parameter's gradient
/// tape.reset()                 // next step
/// ```
///
/// Shape mismatches between ops are programmer errors and stop the program with a message
/// (`precondition`).
public final class Tape<Scalar: NNScalar> {
    /// One recorded value and how it was computed.
    struct Node {
        var rows: Int
        var columns: Int
        /// Arena offset of the value.
        var value: Int
        /// Arena offset of the gradient, `-1` until ``Tape/backward(_:)`` needs one.
        var gradient: Int
        var needsGradient: Bool
        var op: Op
        /// The node whose value and gradient buffers this one shares: itself, or for a `reshape`
        /// the root of its operand (a reshape is a view: no copy forward, nothing to do backward).
        var root: Int
    }

    /// What an op did, with the node ids (and arena offsets of saved data) its backward step needs.
    enum Op {
        case input
        case parameter
        case matmul(Int, Int, transposeA: Bool, transposeB: Bool)
        case linear(Int, weight: Int, bias: Int)
        case unary(UnaryFunction, Int)
        case binary(BinaryFunction, Int, Int, Broadcast)
        case reduce(Int, Axis?, scale: Double)
        /// `scale ·` the operand repeated over `axis` (the inverse shape change of `reduce`).
        case expand(Int, Axis?, scale: Double)
        /// Node ids of the parts are `indices[start ..< start + count]`.
        case concat(start: Int, count: Int)
        case sliceColumns(Int, start: Int)
        case sliceRows(Int, start: Int)
        /// Row indices are `indices[start ..< start + rows]`.
        case gatherRows(Int, start: Int)
        case logSoftmax(Int)
        case rowMax(Int)
        case reshape(Int)
        /// `statistics`: arena offset of the per-column `1/√(var + ε)`.
        case batchNorm(Int, statistics: Int, training: Bool, length: Int)
        case bceWithLogits(Int, targets: Int)
        /// Labels are `indices[labels ..< labels + rows]`; `weights` is an arena offset or `-1`.
        case softmaxCrossEntropy(Int, labels: Int, weights: Int)
        /// RealNVP coupling output; `scratch` holds `tanh` of the raw scales, then `eˢ`.
        case coupling(Int, scaleAndShift: Int, mask: Int, scratch: Int)
        /// RealNVP coupling log-determinant, sharing the output's scratch.
        case couplingLogDeterminant(Int, mask: Int, scratch: Int)
        /// Geometry and scratch offsets are `indices[start ..< start + 11]` (see Tape+Convolution.swift).
        case convolution(start: Int)
        /// LSTM cell state from gates and the previous cell (`-1`: none); `scratch` holds the gate
        /// activations and `tanh(c)`, `5h` per row (see Tape+Recurrent.swift).
        case lstmCell(Int, previous: Int, scratch: Int)
        /// LSTM hidden state from the gates and the cell state, sharing the cell's scratch.
        case lstmHidden(Int, cell: Int, scratch: Int)
        /// A whole LSTM recurrence; operands, geometry and scratch offsets are
        /// `indices[start ..< start + 11]` (see Tape+Recurrent.swift).
        case lstmSequence(start: Int)
    }

    var nodes: [Node] = []
    /// Integer side data of ops (concat parts, gathered rows, labels).
    var indices: [Int] = []
    /// Parameters used since the last reset, with their node ids, in order of first use.
    var parameterNodes: [(parameter: Parameter, node: Int)] = []
    var nodeOfParameter: [ObjectIdentifier: Int] = [:]
    /// Exact values used instead of a parameter's Float value (gradient checks).
    var parameterOverrides: [ObjectIdentifier: [Scalar]] = [:]
    var touched: [Bool] = []

    private var storage: UnsafeMutablePointer<Scalar>
    private var capacity: Int
    private var used = 0

    /// How many times the arena had to grow; constant from the second step on when the shapes of
    /// the steps repeat (the benchmark reports it as the allocation count of a training step).
    public private(set) var arenaGrowthCount = 0

    /// An empty tape.
    /// - Parameter initialCapacity: arena size in scalars to start with (it grows as needed).
    public init(initialCapacity: Int = 1 << 16) {
        capacity = Swift.max(initialCapacity, 1024)
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// Arena capacity in bytes.
    public var arenaBytes: Int { capacity * MemoryLayout<Scalar>.stride }

    /// Number of values recorded since the last reset.
    public var nodeCount: Int { nodes.count }

    /// Forgets every recorded value and gradient but keeps the memory for the next step.
    public func reset() {
        nodes.removeAll(keepingCapacity: true)
        indices.removeAll(keepingCapacity: true)
        parameterNodes.removeAll(keepingCapacity: true)
        nodeOfParameter.removeAll(keepingCapacity: true)
        used = 0
    }

    // MARK: Arena

    /// Reserves `count` scalars (rounded up to 16 for aligned SIMD access) and returns the offset.
    func allocate(_ count: Int) -> Int {
        let size = (count + 15) & ~15
        if used + size > capacity {
            let newCapacity = Swift.max(capacity * 2, used + size)
            let newStorage = UnsafeMutablePointer<Scalar>.allocate(capacity: newCapacity)
            Scalar.copy(storage, to: newStorage, count: used)
            storage.deallocate()
            storage = newStorage
            capacity = newCapacity
            arenaGrowthCount += 1
        }
        let offset = used
        used += size
        return offset
    }

    /// The arena address of `offset` (valid until the next allocation).
    @inline(__always)
    func pointer(_ offset: Int) -> UnsafeMutablePointer<Scalar> { storage + offset }

    /// The value of node `id` (valid until the next allocation).
    @inline(__always)
    func valuePointer(_ id: Int) -> UnsafeMutablePointer<Scalar> { storage + nodes[id].value }

    /// Checks that `t` belongs to this tape's current records.
    @inline(__always)
    func check(_ t: Tensor) {
        precondition(t.id < nodes.count && nodes[t.id].rows == t.rows && nodes[t.id].columns == t.columns,
                     "Tape: tensor \(t.rows)×\(t.columns) is not a value of this tape since its last reset")
    }

    /// Appends a node with a freshly allocated value and returns it with the value's address.
    func record(rows: Int, columns: Int, needsGradient: Bool, op: Op) -> (Tensor, UnsafeMutablePointer<Scalar>) {
        let offset = allocate(rows * columns)
        nodes.append(Node(rows: rows, columns: columns, value: offset, gradient: -1, needsGradient: needsGradient, op: op,
                          root: nodes.count))
        return (Tensor(rows: rows, columns: columns, id: nodes.count - 1), storage + offset)
    }

    /// Whether gradient has to flow into `t`.
    @inline(__always)
    func needs(_ t: Tensor) -> Bool { nodes[t.id].needsGradient }

    // MARK: Leaves

    /// A constant (or, with `requiresGradient`, a variable whose gradient ``gradient(_:)`` returns).
    /// - Parameters:
    ///   - matrix: the values, converted to `Scalar`.
    ///   - requiresGradient: whether ``backward(_:)`` computes this tensor's gradient.
    public func input(_ matrix: Matrix, requiresGradient: Bool = false) -> Tensor {
        input(rows: matrix.rows, columns: matrix.columns, requiresGradient: requiresGradient) { out in
            matrix.withUnsafeBufferPointer { source in
                if let s = source.baseAddress, let d = out.baseAddress { Scalar.load(s, into: d, count: source.count) }
            }
        }
    }

    /// A constant filled in place by `fill` (for example a mini-batch gathered straight from the
    /// data set), without an intermediate copy.
    /// - Parameters:
    ///   - rows: number of rows.
    ///   - columns: number of columns.
    ///   - requiresGradient: whether ``backward(_:)`` computes this tensor's gradient.
    ///   - fill: receives the `rows × columns` row-major storage and must set every element.
    public func input(rows: Int, columns: Int, requiresGradient: Bool = false,
                      _ fill: (UnsafeMutableBufferPointer<Scalar>) -> Void) -> Tensor {
        precondition(rows >= 0 && columns >= 0, "Tape.input: negative shape \(rows)×\(columns)")
        let (t, out) = record(rows: rows, columns: columns, needsGradient: requiresGradient, op: .input)
        fill(UnsafeMutableBufferPointer(start: out, count: rows * columns))
        return t
    }

    /// A constant from row-major values.
    /// - Parameters:
    ///   - rows: number of rows.
    ///   - columns: number of columns.
    ///   - values: `rows × columns` values, row-major.
    ///   - requiresGradient: whether ``backward(_:)`` computes this tensor's gradient.
    public func input(rows: Int, columns: Int, values: [Scalar], requiresGradient: Bool = false) -> Tensor {
        precondition(values.count == rows * columns, "Tape.input: \(values.count) values cannot fill \(rows)×\(columns)")
        return input(rows: rows, columns: columns, requiresGradient: requiresGradient) { out in
            values.withUnsafeBufferPointer { if let s = $0.baseAddress, let d = out.baseAddress { Scalar.copy(s, to: d, count: values.count) } }
        }
    }

    /// The current value of `parameter` as a tensor; ``backward(_:)`` adds its gradient into
    /// ``Parameter/gradient``. Using the same parameter twice in one step returns the same tensor.
    /// - Parameter parameter: the weight.
    public func parameter(_ parameter: Parameter) -> Tensor {
        let key = ObjectIdentifier(parameter)
        if let id = nodeOfParameter[key] { return Tensor(rows: nodes[id].rows, columns: nodes[id].columns, id: id) }
        let value = parameter.value
        let (t, out) = record(rows: value.rows, columns: value.columns, needsGradient: true, op: .parameter)
        if let exact = parameterOverrides[key] {
            precondition(exact.count == value.count, "Tape: override of \(parameter.name) has the wrong size")
            exact.withUnsafeBufferPointer { if let s = $0.baseAddress { Scalar.copy(s, to: out, count: exact.count) } }
        } else {
            value.withUnsafeBufferPointer { if let s = $0.baseAddress { Scalar.load(s, into: out, count: value.count) } }
        }
        nodeOfParameter[key] = t.id
        parameterNodes.append((parameter, t.id))
        return t
    }

    /// Makes later ``parameter(_:)`` calls read the parameters' current values instead of returning
    /// the tensors recorded earlier in this step — after an optimizer step in the middle of a tape
    /// step, such as a GAN's discriminator update before its generator update. Records made so far
    /// keep the values they used.
    public func rereadParameters() {
        nodeOfParameter.removeAll(keepingCapacity: true)
    }

    /// The same values as `t`, as a constant: no gradient flows back through it (PyTorch's
    /// `detach`). Shares storage, copies nothing.
    /// - Parameter t: the tensor to cut from the graph.
    public func detach(_ t: Tensor) -> Tensor {
        check(t)
        let node = nodes[t.id]
        nodes.append(Node(rows: node.rows, columns: node.columns, value: node.value, gradient: -1, needsGradient: false, op: .input,
                          root: nodes.count))
        return Tensor(rows: t.rows, columns: t.columns, id: nodes.count - 1)
    }

    // MARK: Reading

    /// A copy of the value of `t`, row-major.
    public func value(_ t: Tensor) -> [Scalar] {
        withValue(t) { Array($0) }
    }

    /// The value of `t` as a Float matrix.
    public func matrix(_ t: Tensor) -> Matrix {
        withValue(t) { buffer in
            var out = Matrix(rows: t.rows, columns: t.columns)
            out.withUnsafeMutableBufferPointer { destination in
                guard let d = destination.baseAddress, let s = buffer.baseAddress else { return }
                if Scalar.self == Float.self {
                    // One block copy on the training type (a generic per-element conversion is slow).
                    UnsafeRawPointer(s).withMemoryRebound(to: Float.self, capacity: buffer.count) { d.update(from: $0, count: buffer.count) }
                } else {
                    for i in 0..<buffer.count { d[i] = Float(s[i]) }
                }
            }
            return out
        }
    }

    /// Calls `body` with the value of `t` (row-major, valid only during the call).
    public func withValue<R>(_ t: Tensor, _ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        check(t)
        return try body(UnsafeBufferPointer(start: valuePointer(t.id), count: t.count))
    }

    /// The gradient of the last ``backward(_:)`` loss with respect to `t`, or `nil` when no gradient
    /// was computed for it (a constant, or not yet differentiated).
    public func gradient(_ t: Tensor) -> [Scalar]? {
        check(t)
        let offset = nodes[t.id].gradient
        guard offset >= 0 else { return nil }
        let root = nodes[t.id].root
        guard root < touched.count, touched[root] else { return Array(repeating: 0, count: t.count) }
        return Array(UnsafeBufferPointer(start: pointer(offset), count: t.count))
    }

    /// Exact values used for `parameter` on this tape instead of its Float value (used by
    /// ``GradientCheck`` to perturb weights in `Double`); `nil` removes the override.
    func override(_ parameter: Parameter, with values: [Scalar]?) {
        parameterOverrides[ObjectIdentifier(parameter)] = values
    }
}
