"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ApiTokenDto, CreatedApiTokenDto } from "@/lib/auth/api-token-schemas";
import { AppError } from "@/lib/errors";
import { fetcher } from "@/lib/fetcher";
import { SelectField } from "../select-field";
import { TextField } from "../text-field";
import { formatUtc } from "./format-time";
import { queryKeys } from "@/lib/query-keys";

const KEY = queryKeys.apiTokens();
const EXPIRY_OPTIONS = [
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "", label: "Never" },
];
const STATUS_LABEL: Record<ApiTokenDto["status"], string> = { active: "Active", expired: "Expired", revoked: "Revoked" };

function Time({ iso, empty }: { iso: string | null; empty: string }) {
  return iso ? <time dateTime={iso}>{formatUtc(iso)}</time> : <span className="muted">{empty}</span>;
}

/** The signed-in user's tokens: create one (shown once), see when each was used, revoke. */
export function ApiTokensManager({ initialTokens }: { initialTokens: ApiTokenDto[] }) {
  const queryClient = useQueryClient();
  const tokens = useQuery({
    queryKey: KEY,
    queryFn: async () => (await fetcher<{ data: ApiTokenDto[] }>("/api/v1/tokens")).data,
    initialData: initialTokens,
  });
  const [created, setCreated] = useState<CreatedApiTokenDto>();
  const [nameError, setNameError] = useState<string>();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState(false);

  const create = useMutation({
    mutationFn: (input: { name: string; expiresInDays: number | null }) =>
      fetcher<{ data: CreatedApiTokenDto }>("/api/v1/tokens", { method: "POST", body: JSON.stringify(input) }),
    onMutate: () => {
      setError(undefined);
      setNameError(undefined);
      setCreated(undefined);
      setCopied(false);
    },
    onSuccess: ({ data }) => setCreated(data),
    onError: (failure) => {
      const fieldErrors = failure instanceof AppError ? (failure.details as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors : undefined;
      if (fieldErrors?.name?.[0]) setNameError(fieldErrors.name[0]);
      else setError(`The token was not created: ${failure.message}`);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });

  const revoke = useMutation({
    mutationFn: (token: ApiTokenDto) => fetcher<{ data: ApiTokenDto }>(`/api/v1/tokens/${token.id}`, { method: "DELETE" }),
    onMutate: () => setError(undefined),
    onSuccess: ({ data }) => queryClient.setQueryData<ApiTokenDto[]>(KEY, (list) => list?.map((item) => (item.id === data.id ? data : item))),
    onError: (failure, token) => setError(`“${token.name}” was not revoked: ${failure.message}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });

  const onCreate = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const expiry = String(form.get("token-expiry") ?? "");
    create.mutate({ name: String(form.get("token-name") ?? ""), expiresInDays: expiry ? Number(expiry) : null });
  };

  const onRevoke = (token: ApiTokenDto) => {
    if (window.confirm(`Revoke “${token.name}”? Scripts using it stop working at once.`)) revoke.mutate(token);
  };

  const copy = async (token: string) => {
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
    } catch {
      setError("Copying is not allowed here: select the token and copy it yourself.");
    }
  };

  const list = tokens.data;
  return (
    <>
      <form className="card stack" aria-labelledby="new-token-heading" onSubmit={onCreate} noValidate>
        <h2 id="new-token-heading">New token</h2>
        <TextField id="token-name" label="Token name" placeholder="e.g. laptop upload script" maxLength={100} required error={nameError} />
        <SelectField id="token-expiry" label="Expires after" options={EXPIRY_OPTIONS} defaultValue="90" />
        <button type="submit" className="button" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create token"}
        </button>
      </form>

      {created ? (
        <div className="card stack" role="region" aria-labelledby="created-token-heading">
          <h2 id="created-token-heading">Token “{created.name}” created</h2>
          <p>Copy it now: it is shown only this once.</p>
          <div className="field">
            <label htmlFor="created-token">New API token</label>
            <input id="created-token" readOnly value={created.token} onFocus={(event) => event.currentTarget.select()} />
          </div>
          <div className="actions">
            <button type="button" className="button secondary" onClick={() => void copy(created.token)}>
              {copied ? "Copied" : "Copy token"}
            </button>
            <button type="button" className="button link" onClick={() => setCreated(undefined)}>
              Done
            </button>
          </div>
        </div>
      ) : null}

      {error ? (
        <p role="alert" className="alert">
          {error}
        </p>
      ) : null}

      {list.length === 0 ? (
        <div className="card empty">
          <p>You have no API tokens.</p>
        </div>
      ) : (
        <div className="card token-table-wrap">
          <table className="token-table" aria-label="Your API tokens">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((token) => (
                <tr key={token.id}>
                  <th scope="row">{token.name}</th>
                  <td>
                    <Time iso={token.createdAt} empty="" />
                  </td>
                  <td>
                    <Time iso={token.lastUsedAt} empty="Never" />
                  </td>
                  <td>
                    <Time iso={token.expiresAt} empty="Never" />
                  </td>
                  <td>
                    {STATUS_LABEL[token.status]}
                    {token.revokedAt ? (
                      <>
                        {" "}
                        <Time iso={token.revokedAt} empty="" />
                      </>
                    ) : null}
                  </td>
                  <td>
                    {token.status === "revoked" ? null : (
                      <button
                        type="button"
                        className="button danger"
                        aria-label={`Revoke ${token.name}`}
                        disabled={revoke.isPending && revoke.variables.id === token.id}
                        onClick={() => onRevoke(token)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
