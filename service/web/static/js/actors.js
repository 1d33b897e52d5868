// An actor field that suggests actors by id, name or alias (GET /actors?q=) as you type.

import { api } from "./api.js";
import { h, replace } from "./dom.js";
import { field } from "./forms.js";

let listCount = 0;

export function actorField({ label, name, value, required = false, hint }) {
  const listId = `actors-${++listCount}`;
  const wrapper = field({ label, name, value, required, hint, list: listId, autocomplete: "off",
    spellcheck: "false", placeholder: "id, name or alias" });
  const input = wrapper.querySelector("input");
  const list = h("datalist", { id: listId });
  wrapper.append(list);
  let timer = null;
  let asked = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (q.length < 2 || q === asked) return;
      asked = q;
      try {
        const { items } = await api.get("/actors", { q, limit: 8 });
        replace(list, items.map((actor) => h("option", { value: actor.id },
          [actor.name, ...actor.aliases].join(" · "))));
      } catch {
        // Suggestions are a convenience; the form still submits what was typed.
      }
    }, 180);
  });
  return wrapper;
}
