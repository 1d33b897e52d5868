// The organizations pages: the list (the ledger's admins; they create organizations) and one
// organization's members (its admins or the ledger's): add a principal with a role, change a
// member's role, remove a member. Anyone the API refuses is told why.

import { api, Problem, token } from "./api.js";
import { emptyState, h, heading, labelOf, replace, when, who } from "./dom.js";
import { flash } from "./flash.js";
import { field, onSubmit, problemBox, required } from "./forms.js";

/** The roles a member can have in an organization (domain.values.Role). */
export const ROLES = ["reader", "contributor", "reviewer", "admin"];

const back = () => h("nav", { class: "breadcrumb", "aria-label": "Breadcrumb" },
  h("a", { href: "#/organizations" }, "← All organizations"));

/** The page for a 401 or 403 (the API decides who may manage), else null. */
function refusal(error, what) {
  if (!(error instanceof Problem) || ![401, 403].includes(error.status)) return null;
  const why = error.status === 401
    ? `${what} Enter an admin's API token (top right).`
    : `Your token is not allowed here: ${what.charAt(0).toLowerCase()}${what.slice(1)}`;
  return h("section", { class: "panel organizations-refused", role: "alert" },
    h("h2", null, error.status === 401 ? "An admin token is needed" : "Admins only"),
    h("p", null, why), problemBox(error));
}

/** The signed-in principal's organization as GET /people gives it ({id, name}), or null. */
async function myOrganization() {
  const me = token.principal();
  if (!me) return null;
  try {
    return (await api.get(`/people/${me}`)).organization ?? null;
  } catch {
    return null;
  }
}

export async function organizationsView(view) {
  const head = h("div", { class: "page-head" }, heading("Organizations"));
  let first;
  try {
    first = await api.get("/organizations");
  } catch (error) {
    const refused = refusal(error, "The list of organizations is for the ledger's admins.");
    if (!refused) throw error;
    const mine = await myOrganization();
    replace(view, head, refused, mine ? h("p", { class: "notice my-organization" }, "You are a member of ",
      h("a", { href: `#/organizations/${mine.id}` }, mine.name),
      ": its page lists its members to its admins.") : null);
    return;
  }
  const listSlot = h("div", { "aria-live": "polite" });
  const reload = async () => replace(listSlot, organizationTable(await api.get("/organizations")));
  const form = h("form", { class: "organization-form", "aria-label": "Create an organization" },
    field({ label: "Name", name: "name", required: true, placeholder: "Newsroom",
      hint: "Unique, whatever the case." }),
    h("div", { class: "button-row" }, h("button", { type: "submit", class: "primary" }, "Create organization")));
  onSubmit(form, {
    build: (data) => ({ name: required(data, "name") }),
    send: (body, key) => api.post("/organizations", body, { key }),
    done: async ({ data }) => {
      form.reset();
      flash(`Organization ${data.name} created`);
      await reload();
    },
    explain: (error) => error instanceof Problem && error.body.existing_id
      ? h("p", null, h("a", { href: `#/organizations/${error.body.existing_id}` }, "Open the organization with that name"))
      : null,
  });
  replace(view, head,
    h("p", { class: "lede" }, "Newsrooms and their members. A member's role in an organization is its authority when it acts for it: a review by a member is the organization's."),
    h("section", { class: "panel", "aria-labelledby": "h-organizations" },
      h("h2", { id: "h-organizations" }, "Organizations"), listSlot),
    h("section", { class: "panel", "aria-labelledby": "h-create" },
      h("h2", { id: "h-create" }, "Create an organization"), form));
  replace(listSlot, organizationTable(first));
}

function organizationTable(page) {
  if (!page.items.length) return emptyState("No organization yet.");
  return h("div", { class: "table-wrap" },
    h("table", { class: "organizations-table", "aria-labelledby": "h-organizations" },
      h("thead", null, h("tr", null, ["Name", "Members", "Admins"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", null, page.items.map((o) => h("tr", { class: "organization-row", dataset: { organizationId: o.id } },
        h("td", { class: "organization-name" }, h("a", { href: `#/organizations/${o.id}` }, o.name)),
        h("td", { class: "num" }, String(o.members.length)),
        h("td", null, names(o.members.filter((m) => m.role === "admin"))))))));
}

function names(members) {
  return members.length
    ? members.map((m, i) => [i ? ", " : null, m.display_name || m.principal_id.slice(0, 8)])
    : h("span", { class: "muted" }, "—");
}

export async function organizationView(view, _params, id) {
  let organization;
  try {
    ({ data: organization } = await api.resource(`/organizations/${encodeURIComponent(id)}`));
  } catch (error) {
    const refused = refusal(error, "An organization's members are managed by its admins and the ledger's.");
    const missing = error instanceof Problem && [404, 422].includes(error.status);
    replace(view, back(), heading(missing ? "Organization not found" : "Organization"),
      refused || problemBox(error));
    return;
  }
  const reload = () => organizationView(view, _params, id);
  const problems = h("div", { class: "member-problems" });
  const etag = `"${organization.version}"`;
  const base = `/organizations/${organization.id}/members`;
  const act = async (button, request, message) => {
    button.disabled = true;
    problems.replaceChildren();
    try {
      await request();
      flash(message);
      await reload();
    } catch (error) {
      replace(problems, problemBox(error));
      button.disabled = false;
    }
  };
  const people = await everyone();
  replace(view, back(),
    h("div", { class: "page-head" }, heading(organization.name)),
    h("section", { class: "panel", "aria-labelledby": "h-members" },
      h("h2", { id: "h-members" }, `Members (${organization.members.length})`),
      problems,
      organization.members.length ? memberTable(organization, act, etag, base) : emptyState("No member yet.")),
    h("section", { class: "panel", "aria-labelledby": "h-add-member" },
      h("h2", { id: "h-add-member" }, "Add a member"),
      addForm(organization, people, etag, base, reload)));
}

/** Every principal (GET /people, page by page): id and display name. */
async function everyone() {
  const found = [];
  let cursor = null;
  do {
    const page = await api.get("/people", { limit: 200, cursor });
    found.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && found.length < 5000);
  return found;
}

function memberTable(organization, act, etag, base) {
  return h("div", { class: "table-wrap" },
    h("table", { class: "members-table", "aria-labelledby": "h-members" },
      h("thead", null, h("tr", null, ["Member", "Role", "Added", "Actions"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", null, organization.members.map((m) => {
        const name = m.display_name || m.principal_id.slice(0, 8);
        const select = h("select", { name: "role", "aria-label": `Role of ${name}` },
          ROLES.map((r) => h("option", { value: r, selected: r === m.role }, labelOf(r))));
        const change = h("button", { type: "button", class: "change-role" }, "Change role");
        change.addEventListener("click", () => act(change,
          () => api.post(`${base}/${m.principal_id}/role`, { role: select.value }, { etag }),
          `${name} is now ${select.value}`));
        const remove = h("button", { type: "button", class: "danger remove-member", "aria-label": `Remove ${name}` }, "Remove");
        remove.addEventListener("click", () => act(remove,
          () => api.remove(`${base}/${m.principal_id}`, { etag }), `${name} removed`));
        return h("tr", { class: "member-row", dataset: { principalId: m.principal_id } },
          h("td", { class: "member-name" }, who(m.principal_id, m.display_name)),
          h("td", null, h("span", { class: `badge member-role role-${m.role}` }, labelOf(m.role))),
          h("td", null, when(m.added_at), " by ", who(m.added_by)),
          h("td", { class: "member-actions" }, h("div", { class: "role-change" }, select, change), remove));
      }))));
}

function addForm(organization, people, etag, base, reload) {
  const members = new Set(organization.members.map((m) => m.principal_id));
  const candidates = people.filter((p) => !members.has(p.id))
    .map((p) => [p.id, `${p.display_name} (${p.id.slice(0, 8)})`]);
  const form = h("form", { class: "member-form", "aria-label": "Add a member" },
    h("div", { class: "inline-fields" },
      field({ label: "Principal", name: "principal_id", kind: "select", required: true, blank: "Choose a principal…",
        options: candidates }),
      field({ label: "Role here", name: "role", kind: "select", required: true, value: "reviewer",
        options: ROLES.map((r) => [r, labelOf(r)]) })),
    h("div", { class: "button-row" }, h("button", { type: "submit", class: "primary" }, "Add member")));
  onSubmit(form, {
    build: (data) => ({ principal_id: required(data, "principal_id"), role: required(data, "role") }),
    send: (body, key) => api.post(base, body, { etag, key }),
    done: async () => {
      flash("Member added");
      await reload();
    },
  });
  return form;
}
