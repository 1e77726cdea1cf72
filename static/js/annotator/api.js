// The annotator's only way to the server: fetch with the session cookie and CSRF token,
// JSON in and out, and errors turned into ApiError (status plus a message per field).

// The JSON-LD context of a W3C Web Annotation, for "@context" and the media type's profile.
export const ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld";
const JSONLD = `application/ld+json; profile="${ANNO_CONTEXT}"`;

export class ApiError extends Error {
  constructor(status, fields, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fields = fields || {};
  }
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const input = document.querySelector('input[name="csrfmiddlewaretoken"]');
  return input ? input.value : "";
}

function messageFor(status, data) {
  if (status === 412) return "It was changed elsewhere since you opened it. Reload the page and try again.";
  if (data && typeof data.detail === "string") return data.detail;
  if (status === 0) return "Could not reach the server. Check your connection and try again.";
  if (status === 400) return "Some of what you entered was not accepted.";
  if (status === 403) return "You are not allowed to do that. Are you still signed in?";
  if (status === 404) return "That annotation no longer exists.";
  return `The server answered ${status}. Please try again.`;
}

async function request(method, url, { json, contentType = "application/json", headers = {} } = {}) {
  const init = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/ld+json, application/json", ...headers },
  };
  if (method !== "GET" && method !== "HEAD") init.headers["X-CSRFToken"] = csrfToken();
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = contentType;
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError(0, {}, messageFor(0, null));
  }
  let data = null;
  if (response.status !== 204) {
    const text = await response.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
  }
  if (!response.ok) {
    const perField = data && typeof data === "object" && !Array.isArray(data) && !("detail" in data);
    const fields = perField ? data : {};
    throw new ApiError(response.status, fields, messageFor(response.status, data));
  }
  return { data, status: response.status, etag: response.headers.get("ETag") };
}

/** The number at the end of an annotation or claim IRI (".../annotations/12/" -> 12). */
export function idFromIri(iri) {
  const match = String(iri || "").match(/(\d+)\/?$/);
  return match ? Number(match[1]) : null;
}

export function createApi(urls) {
  const annotationUrl = (id) => `${urls.annotations}${id}/`;
  return {
    annotationIri: (id) => new URL(annotationUrl(id), window.location.origin).href,
    claimIri: (id) => new URL(`${urls.claims}${id}/`, window.location.origin).href,
    createAnnotation: (annotation) =>
      request("POST", urls.annotations, { json: annotation, contentType: JSONLD }),
    getAnnotation: (id) => request("GET", annotationUrl(id)),
    updateAnnotation: (id, annotation, etag) =>
      request("PUT", annotationUrl(id), {
        json: annotation,
        contentType: JSONLD,
        headers: { "If-Match": etag },
      }),
    deleteAnnotation: (id, etag) =>
      request("DELETE", annotationUrl(id), { headers: etag ? { "If-Match": etag } : {} }),
    createClaim: (claim) => request("POST", urls.claims, { json: claim }),
    deleteClaim: (id) => request("DELETE", `${urls.claims}${id}/`),
    searchClaims: async (q) => {
      const { data } = await request("GET", `${urls.claims}?${new URLSearchParams({ q })}`);
      return (data && data.results) || [];
    },
    searchTags: async (q) => {
      const { data } = await request("GET", `${urls.tags}?${new URLSearchParams({ q })}`);
      return Array.isArray(data) ? data : [];
    },
    /** The current page as the server renders it now (the one renderer of cards and marks). */
    fetchPage: async (url) => {
      let response;
      try {
        response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
      } catch {
        throw new ApiError(0, {}, messageFor(0, null));
      }
      if (!response.ok) throw new ApiError(response.status, {}, messageFor(response.status, null));
      return new DOMParser().parseFromString(await response.text(), "text/html");
    },
  };
}
