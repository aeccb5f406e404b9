namespace SovereignTrajectories.Testing;

/// <summary>Fails early and clearly when a Node folder was never installed.</summary>
internal static class NodeModules
{
    public static void Require(string packageDir, string installCommand)
    {
        if (!Directory.Exists(Path.Combine(packageDir, "node_modules")))
        {
            throw new InvalidOperationException(
                $"{packageDir} has no node_modules; run: {installCommand} in {Path.GetRelativePath(RepoPaths.Root, packageDir)}");
        }
    }
}
