using static TorchSharp.torch;

namespace MultiLabel.Vision.Training;

public sealed partial class Learner
{
    /// <summary>fastai's <c>learn.summary()</c>: runs one training batch through the model in evaluation mode without
    /// gradients, with a hook on every layer (a module without children) to take its output shape, and counts the
    /// parameters. Nothing about the learner changes: not the weights, not the BatchNorm statistics, not train/eval mode.</summary>
    public LearnerSummary Summary()
    {
        using var exclusive = Exclusive();
        using var scope = NewDisposeScope();
        var leaves = Model.named_modules().Where(m => !m.module.children().Any()).ToList();
        var names = leaves.ToDictionary(m => (object)m.module, m => m.name, ReferenceEqualityComparer.Instance);
        var called = new List<(nn.Module Module, long[] Shape)>();
        var hooks = leaves.Select(m => m.module).OfType<nn.Module<Tensor, Tensor>>()
            .Select(module => module.register_forward_hook((self, _, output) =>
            {
                if (!called.Any(c => ReferenceEquals(c.Module, self))) called.Add((self, output.shape));
                return null!; // no replacement: the output goes on unchanged
            }))
            .ToList();
        // Each module's own mode, not just the model's: BnFreeze keeps frozen BatchNorm layers in eval inside a training model.
        // TorchSharp's modules() leaves out the model itself.
        var modes = Model.modules().Prepend(Model).Select(m => (Module: m, m.training)).ToList();
        long[] input;
        try
        {
            using var batch = Dls.OneBatch();
            input = batch.X.shape;
            Model.eval();
            using (no_grad()) Forward(batch.X);
        }
        finally
        {
            foreach (var hook in hooks) hook.remove();
            // Pre-order, so a child's mode is set after its parent's (train() sets a whole subtree).
            foreach (var (module, training) in modes) module.train(training);
        }
        var layers = called.Select(c => Layer(names[c.Module], c.Module, c.Shape))
            .Concat(leaves.Where(l => !called.Any(c => ReferenceEquals(c.Module, l.module))).Select(l => Layer(l.name, l.module, null)))
            .ToList();
        var parameters = Model.parameters().ToList();
        int frozenUpTo = Groups.TakeWhile(g => g.Parameters.Any(p => !p.Parameter.requires_grad)).Count();
        return new LearnerSummary(
            Info?.ToString() ?? Model.GetName(),
            input, layers, parameters.Sum(p => p.numel()), parameters.Where(p => p.requires_grad).Sum(p => p.numel()),
            OptimizerDescription, Loss.Name, frozenUpTo > 0 ? frozenUpTo : null,
            Callbacks.Select(c => c.GetType().Name).ToList());
    }

    static LayerSummary Layer(string name, nn.Module module, long[]? shape)
    {
        var own = module.parameters(recurse: false).ToList();
        // The project's BatchNorm serves both of PyTorch's classes; the summary names the one it stands for.
        var type = module is Models.Layers.BatchNorm bn ? (bn.InputDims.Contains(4) ? "BatchNorm2d" : "BatchNorm1d") : module.GetType().Name;
        return new LayerSummary(name, type, shape, own.Sum(p => p.numel()), own.Count > 0 && own.All(p => p.requires_grad));
    }
}
