using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Common;

/// <summary>
/// privacyIDEA's filter values: an exact value, or one with <c>*</c> as wildcard. Becomes an equality (which can use
/// an index) or a LIKE with the other LIKE characters escaped, so that '%' and '_' in a value are taken literally.
/// </summary>
public static class Wildcards
{
    public static IQueryable<T> WhereMatches<T>(this IQueryable<T> source, Expression<Func<T, string?>> column, string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return source;
        }
        var value = filter.Trim();
        var pattern = LikePattern(value);
        // Values are read from closures, not inlined as constants, so that EF sends them as parameters.
        Expression<Func<string>> valueParameter = () => value;
        Expression<Func<string>> patternParameter = () => pattern;
        Expression test = value.Contains('*')
            ? Expression.Call(
                typeof(DbFunctionsExtensions), nameof(DbFunctionsExtensions.Like), Type.EmptyTypes,
                Expression.Constant(EF.Functions), column.Body, patternParameter.Body, Expression.Constant("\\"))
            : Expression.Equal(column.Body, valueParameter.Body);
        return source.Where(Expression.Lambda<Func<T, bool>>(test, column.Parameters[0]));
    }

    /// <summary>
    /// privacyIDEA's comma lists (<c>serial=A,B*</c>): a row matches when its column matches any entry. Empty entries
    /// are dropped; an all-empty list filters nothing.
    /// </summary>
    public static IQueryable<T> WhereMatchesAny<T>(this IQueryable<T> source, Expression<Func<T, string?>> column, string? commaList)
    {
        var entries = (commaList ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (entries.Length == 0)
        {
            return source;
        }
        Expression? any = null;
        foreach (var entry in entries)
        {
            var test = MatchTest(column, entry);
            any = any is null ? test : Expression.OrElse(any, test);
        }
        return source.Where(Expression.Lambda<Func<T, bool>>(any!, column.Parameters[0]));
    }

    /// <summary>Whether <paramref name="value"/> matches <paramref name="filter"/> (<c>*</c> wildcards, case-insensitive), in memory.</summary>
    public static bool Matches(string value, string filter)
    {
        var pattern = "^" + string.Join(".*", filter.Trim().Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(value, pattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
    }

    private static Expression MatchTest<T>(Expression<Func<T, string?>> column, string value)
    {
        var pattern = LikePattern(value);
        Expression<Func<string>> valueParameter = () => value;
        Expression<Func<string>> patternParameter = () => pattern;
        return value.Contains('*')
            ? Expression.Call(
                typeof(DbFunctionsExtensions), nameof(DbFunctionsExtensions.Like), Type.EmptyTypes,
                Expression.Constant(EF.Functions), column.Body, patternParameter.Body, Expression.Constant("\\"))
            : Expression.Equal(column.Body, valueParameter.Body);
    }

    /// <summary>The value as a LIKE pattern: <c>*</c> becomes <c>%</c>, every other character is literal.</summary>
    public static string LikePattern(string value) => EscapeLike(value).Replace('*', '%');

    /// <summary>The value with the LIKE characters escaped (escape character <c>\</c>), so that it matches literally.</summary>
    public static string EscapeLike(string value) => value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
