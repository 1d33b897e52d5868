// Reviews and organizations on a claim's page: "for <organization>" beside a review made for
// one, and the review form's "For organization" select for a principal who is a member.

import { api, token } from "./api.js";
import { h, replace } from "./dom.js";
import { field } from "./forms.js";

/** "for <name>" for a review made for an organization (the API names it: `organization`). */
export function reviewOrganization(review) {
  if (!review.organization) return null;
  return h("span", { class: "review-organization", dataset: { organizationId: review.organization.id } },
    "for ", h("span", { class: "review-organization-name" }, review.organization.name));
}

/** The organizations the signed-in principal is in: all of them when it may list them (the
 * ledger's admins), else the one its public face names (GET /people/{id}). */
async function myOrganizations() {
  const me = token.principal();
  if (!me) return [];
  try {
    const { items } = await api.get("/organizations");
    const mine = items.filter((o) => o.members.some((m) => m.principal_id === me));
    return mine.map((o) => ({ id: o.id, name: o.name }));
  } catch {
    // only the ledger's admins list organizations
  }
  try {
    const { organization } = await api.get(`/people/${me}`);
    return organization ? [organization] : [];
  } catch {
    return [];
  }
}

/** The review form's optional "For organization" select: empty for a principal of none. */
export function organizationField() {
  const slot = h("div", { class: "review-organization-field" });
  myOrganizations().then((organizations) => {
    if (!organizations.length) return;
    const one = organizations.length === 1;
    replace(slot, field({ label: "For organization", name: "organization_id", kind: "select",
      options: organizations.map((o) => [o.id, o.name]), blank: one ? undefined : "Choose one of yours",
      value: one ? organizations[0].id : undefined,
      hint: one ? "You are a member: the review is your organization's." : "You are in several: the review is made for the one chosen." }));
  });
  return slot;
}
