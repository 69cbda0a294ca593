using System.Reflection;
using System.Text.RegularExpressions;
using CreditPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CreditPortal.E2E.Infrastructure;

/// <summary>
/// Full-page screenshots under <c>artifacts/screenshots/&lt;TestClass&gt;.&lt;TestMethod&gt;/NN-step.png</c> at the
/// repository root (git-ignored), so a reviewer or a CI run can see what every step looked like.
/// </summary>
public sealed partial class TestArtifacts
{
    private int _step;

    public TestArtifacts(ITestOutputHelper output)
    {
        TestName = TestNameOf(output);
        Folder = Path.Combine(RepoPaths.Root, "artifacts", "screenshots", TestName);
        // A previous run's pictures of this test would be mistaken for this run's.
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }

    /// <summary><c>Class.Method</c> (plus the arguments of a theory case), safe as a folder name.</summary>
    public string TestName { get; }
    public string Folder { get; }

    public async Task<string> ScreenshotAsync(IPage page, string step)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{Interlocked.Increment(ref _step):00}-{Safe(step)}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>One element only (a card for the README): a full page scrolled to it shows the fixed app bar mid-page.</summary>
    public async Task<string> ScreenshotAsync(ILocator element, string step)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{Interlocked.Increment(ref _step):00}-{Safe(step)}.png");
        await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        return path;
    }

    /// <summary>
    /// xunit 2 tells a test class its own name only through its output helper's private <c>test</c> field;
    /// failing loudly here beats every test silently writing into one folder after an xunit upgrade.
    /// </summary>
    private static string TestNameOf(ITestOutputHelper output)
    {
        var field = output.GetType().GetField("test", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"{output.GetType()} has no 'test' field: the xunit version changed, update TestArtifacts.");
        var test = (ITest?)field.GetValue(output) ?? throw new InvalidOperationException("The output helper is not bound to a test yet.");
        var method = test.TestCase.TestMethod;
        var name = method.TestClass.Class.Name.Split('.')[^1] + "." + method.Method.Name;
        var arguments = test.DisplayName.IndexOf('(');
        return Safe(arguments < 0 ? name : name + test.DisplayName[arguments..]);
    }

    private static string Safe(string text) => UnsafeChars().Replace(text, "_").Trim('_');

    [GeneratedRegex(@"[^A-Za-z0-9._-]+")]
    private static partial Regex UnsafeChars();
}
