/// How a coupling layer of a normalizing flow transforms the features it does not keep.
///
/// Both condition on the kept features through a small network (the conditioner) and are
/// inverted in closed form, so sampling costs one pass.
public enum CouplingKind: String, Sendable, Codable, CaseIterable {
    /// RealNVP's affine coupling (Dinh, Sohl-Dickstein & Bengio, 2017): `y = x ⊙ eˢ + t`, with the
    /// log-scale bounded by `s = tanh(·)` so that no coupling scales a feature by more than `e`;
    /// the log-determinant is `Σ s`.
    case affine
    /// NICE's additive coupling (Dinh, Krueger & Bengio, 2015): `y = x + t`, volume preserving
    /// (log-determinant 0); cheaper, less expressive.
    case additive
}
