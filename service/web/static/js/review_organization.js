// Reviews and organizations on a claim's page: "for <organization>" beside a review made for
// one, and the review form's "For organization" select for a principal who is a member.

import { api, token } from "./api.js";
import { h, replace } from "./dom.js";
import { field } from "./forms.js";

const known = new Map(); // organization id -> name, for the page's life

function remember(organization) {
  if (organization && organization.id) known.set(organization.id, organization.name);
}

/** An organization's name: from a member's public face (GET /people/{id}), else from the
 * organization itself (its admins and the ledger's may read it), else null. */
async function nameOf(organizationId, memberId) {
  if (known.has(organizationId)) return known.get(organizationId);
  if (memberId) {
    try {
      remember((await api.get(`/people/${memberId}`)).organization);
    } catch {
      // a reader's view of people may be closed; the organization is tried next
    }
  }
  if (!known.has(organizationId) && token.get()) {
    try {
      remember(await api.get(`/organizations/${organizationId}`));
    } catch {
      // not ours to read: the short id is shown instead
    }
  }
  return known.get(organizationId) ?? null;
}

/** "for <name>" for a review with an `organization_id` (the name filled in once known). */
export function reviewOrganization(review) {
  if (!review.organization_id) return null;
  const name = h("span", { class: "review-organization-name" }, review.organization_id.slice(0, 8));
  nameOf(review.organization_id, review.reviewed_by).then((found) => {
    if (found) name.textContent = found;
  });
  return h("span", { class: "review-organization", dataset: { organizationId: review.organization_id } },
    "for ", name);
}

/** The organizations the signed-in principal is in: all of them when it may list them (the
 * ledger's admins), else the one its public face names (GET /people/{id}). */
async function myOrganizations() {
  const me = token.principal();
  if (!me) return [];
  try {
    const { items } = await api.get("/organizations");
    const mine = items.filter((o) => o.members.some((m) => m.principal_id === me));
    mine.forEach(remember);
    return mine.map((o) => ({ id: o.id, name: o.name }));
  } catch {
    // only the ledger's admins list organizations
  }
  try {
    const { organization } = await api.get(`/people/${me}`);
    remember(organization);
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
