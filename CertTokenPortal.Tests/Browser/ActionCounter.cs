using Microsoft.Playwright;

namespace CertTokenPortal.Tests.Browser;

/// <summary>
/// Does what a person does (a click, a checked box, a typed field, a key press) and counts it, so a browser test can
/// say how many actions a task takes. Waiting and looking are not actions.
/// </summary>
public sealed class ActionCounter(IPage page)
{
    private readonly List<string> _done = [];

    public int Count => _done.Count;

    /// <summary>What was done, in order, for a failure message.</summary>
    public string Log => string.Join(" → ", _done);

    public Task ClickAsync(ILocator target, string what) => Do(what, () => target.ClickAsync());

    public Task CheckAsync(ILocator target, string what) => Do(what, () => target.CheckAsync());

    public Task FillAsync(ILocator target, string text, string what) => Do(what, () => target.FillAsync(text));

    public Task PressAsync(string key) => Do(key, () => page.Keyboard.PressAsync(key));

    private async Task Do(string what, Func<Task> action)
    {
        _done.Add(what);
        await action();
    }
}
