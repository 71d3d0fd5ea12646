using System.Linq.Expressions;

namespace CertTokenPortal.Core.Common;

/// <summary>The one ordering step of the sortable lists (tokens, audit log): by a key, either way.</summary>
internal static class Sorting
{
    public static IOrderedQueryable<T> By<T, TKey>(IQueryable<T> source, Expression<Func<T, TKey>> key, bool descending) =>
        descending ? source.OrderByDescending(key) : source.OrderBy(key);
}
