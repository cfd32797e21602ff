// WGAN-GP's gradient penalty, built on double backward.

extension Tape {
    /// The gradient penalty of WGAN-GP (Gulrajani, Ahmed, Arjovsky, Dumoulin & Courville, 2017,
    /// "Improved Training of Wasserstein GANs"): `λ · mean over groups of (‖∇ₓ̂ D(x̂)‖₂ − 1)²` at
    /// random interpolates `x̂ = ε · real + (1 − ε) · fake`, as a differentiable `1 × 1` loss term.
    ///
    /// With `pac > 1` this is CTGAN's PacGAN form (Xu et al., 2019; Lin et al., 2018): the critic
    /// scores groups of `pac` consecutive rows (it reshapes them into one row itself), all rows of a
    /// group share one `ε`, and the norm is taken over the group's `pac × features` gradient — the
    /// `calc_gradient_penalty` of the `ctgan` package. With `pac = 1` it is the paper's per-row penalty.
    ///
    /// The input gradient is recorded with ``gradient(of:withRespectTo:seed:)``, so ``backward(_:)``
    /// of a loss containing the penalty adds its gradient into the critic's weights (and into `real`
    /// and `fake` if they require gradients; detach `fake` for a critic step, as usual). A group
    /// whose input gradient is exactly zero (dropout can cut every path of a small critic) adds
    /// `λ` to the penalty and nothing to the gradients, as PyTorch's `norm` does.
    ///
    /// A critic step with `pac = 2` on a `Tape<Float>` (from `GradientPenaltyTests.floatStepMatchesDouble`;
    /// `critic` is a `(Tensor) -> Tensor` that records the critic on `tape`):
    ///
    /// ```swift
    /// let real = tape.input(realBatch), fake = tape.detach(generated)
    /// let epsilon = tape.input(rows: real.rows / 2, columns: 1) { e in
    ///     for i in e.indices { e[i] = Float(rng.nextUniform()) }
    /// }
    /// let wasserstein = tape.sub(tape.mean(critic(fake), axis: nil), tape.mean(critic(real), axis: nil))
    /// let penalty = tape.gradientPenalty(real: real, fake: fake, epsilon: epsilon, pac: 2, critic: critic)
    /// tape.backward(tape.add(wasserstein, penalty))
    /// ```
    /// - Parameters:
    ///   - real: `rows × features` real records.
    ///   - fake: `rows × features` generated records.
    ///   - epsilon: `(rows / pac) × 1` mixing weights, drawn uniformly from `[0, 1)` for each group.
    ///   - lambda: the penalty's weight (10 in the paper and in CTGAN).
    ///   - pac: rows per critic group; `rows` must be a multiple of it.
    ///   - critic: records the critic on this tape; maps `rows × features` to `(rows / pac) × 1` scores.
    /// - Returns: the `1 × 1` penalty.
    public func gradientPenalty(real: Tensor, fake: Tensor, epsilon: Tensor, lambda: Float = 10, pac: Int = 1,
                                critic: (Tensor) -> Tensor) -> Tensor {
        check(real); check(fake); check(epsilon)
        precondition(real.rows == fake.rows && real.columns == fake.columns,
                     "Tape.gradientPenalty: real \(real.rows)×\(real.columns), fake \(fake.rows)×\(fake.columns)")
        precondition(pac > 0 && real.rows % pac == 0, "Tape.gradientPenalty: \(real.rows) rows are not groups of pac \(pac)")
        let groups = real.rows / pac, width = pac * real.columns
        precondition(epsilon.rows == groups && epsilon.columns == 1,
                     "Tape.gradientPenalty: epsilon is \(epsilon.rows)×\(epsilon.columns), expected \(groups)×1")
        // x̂ = fake + ε (real − fake), one ε per group of pac rows.
        let step = mul(reshape(sub(real, fake), rows: groups, columns: width), epsilon)
        let interpolates = add(fake, reshape(step, rows: real.rows, columns: real.columns))
        let scores = critic(interpolates)
        let g = reshape(gradient(of: scores, withRespectTo: interpolates), rows: groups, columns: width)
        let norms = safeNorm(squared: sum(mul(g, g), axis: .columns))
        return mul(mean(pow(add(norms, scalar: -1), 2), axis: nil), scalar: lambda)
    }

    /// `√s` element-wise, with gradient 0 where `s` is 0 (PyTorch's `norm` backward) instead of
    /// `sqrt`'s infinite one, which would turn a group with an all-zero input gradient (every unit
    /// on its path dropped out) into NaN weight gradients: `√(s + z) − z` with the constant
    /// `z = [s = 0]`.
    func safeNorm(squared s: Tensor) -> Tensor {
        let zero = input(rows: s.rows, columns: s.columns) { out in
            withValue(s) { values in
                for i in out.indices { out[i] = values[i] == 0 ? 1 : 0 }
            }
        }
        return sub(sqrt(add(s, zero)), zero)
    }
}
