using Bunit;
using CertTokenPortal.Components.Pages.Enrol;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Components.Pages.Enrol;

/// <summary>The review step on its own: what it says of the owner's standing and the route it is given.</summary>
[Trait("Category", "Component")]
public sealed class ReviewStepTests : PortalComponentTest
{
    [Fact]
    public void Render_ApprovalRouteAndActiveQuota_SaysItWaitsAndCountsActive()
    {
        var preview = new EnrolmentPreview("alice", "default", 2, new PolicySetting<int>(3, "q"), 1, new PolicySetting<int>(2, "qa"))
        {
            Route = new EnrolmentRoute("approvalCA", "user", NeedsApproval: true),
        };

        var cut = RenderWithProviders<ReviewStep>(new Dictionary<string, object?>
        {
            [nameof(ReviewStep.Draft)] = new EnrolmentDraft(),
            [nameof(ReviewStep.Actor)] = TestPki.Helpdesk,
            [nameof(ReviewStep.Preview)] = preview,
        });

        Assert.Equal("alice holds 2 of 3 allowed (policy 'q'); 1 of 2 active allowed (policy 'qa')",
            cut.Find("[data-testid=review-quota]").TextContent.Trim());
        Assert.StartsWith("approvalCA · user: waits for an approver", cut.Find("[data-testid=review-route]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=review-refusal]"));
    }
}
