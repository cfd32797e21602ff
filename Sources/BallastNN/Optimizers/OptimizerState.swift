/// Per-parameter optimizer state: `slots` buffers (momentum, first and second moments…) of the
/// same size as each parameter, laid out in one contiguous allocation made once and owned by the
/// optimizer (a reference, so updates never trigger a copy).
///
/// Slot `s` of parameter `i` starts at `offsets[i] + s * total`, where `total` is the summed size of
/// all parameters, so each slot is itself one contiguous run over every parameter.
final class OptimizerState {
    /// Start of each parameter's block within a slot.
    let offsets: [Int]
    /// Element count of each parameter, as seen when the state was created.
    let sizes: [Int]
    /// Summed size of all parameters (the length of one slot).
    let total: Int
    /// Number of state buffers per parameter.
    let slots: Int
    /// `slots * total` zero-initialised elements (at least one, so the address always exists).
    private let storage: UnsafeMutablePointer<Float>
    private let capacity: Int

    /// State with `slots` zeroed buffers for `parameters`.
    init(parameters: [Parameter], slots: Int) {
        var offsets: [Int] = []
        var sizes: [Int] = []
        offsets.reserveCapacity(parameters.count)
        sizes.reserveCapacity(parameters.count)
        var total = 0
        for p in parameters {
            offsets.append(total)
            sizes.append(p.value.count)
            total += p.value.count
        }
        self.offsets = offsets
        self.sizes = sizes
        self.total = total
        self.slots = slots
        self.capacity = max(1, slots * total)
        self.storage = .allocate(capacity: capacity)
        storage.initialize(repeating: 0, count: capacity)
    }

    deinit { storage.deallocate() }

    /// Start of slot `slot` of parameter `index`.
    func pointer(slot: Int, parameter index: Int) -> UnsafeMutablePointer<Float> {
        precondition(slot < slots, "optimizer: state slot \(slot) was not allocated (\(slots) slots)")
        return storage + slot * total + offsets[index]
    }

    /// Checks that parameter `index` still has the size its state was made for.
    func checkShape(_ parameter: Parameter, index: Int) {
        precondition(parameter.value.count == sizes[index] && parameter.gradient.count == sizes[index],
                     "optimizer: parameter \(parameter.name) changed size from \(sizes[index]) to \(parameter.value.count)")
    }
}

/// Loads eight `Float`s from `pointer + offset` (no alignment needed).
@inline(__always)
func loadVector(_ pointer: UnsafePointer<Float>, _ offset: Int) -> SIMD8<Float> {
    UnsafeRawPointer(pointer + offset).loadUnaligned(as: SIMD8<Float>.self)
}

/// Stores eight `Float`s at `pointer + offset` (no alignment needed).
@inline(__always)
func storeVector(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>, _ offset: Int) {
    UnsafeMutableRawPointer(pointer + offset).storeBytes(of: value, as: SIMD8<Float>.self)
}
