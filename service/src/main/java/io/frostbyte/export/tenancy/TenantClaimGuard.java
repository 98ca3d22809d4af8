package io.frostbyte.export.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.export.aws.AwsJsonCall;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tenant comes from the ID token's {@code custom:tenant_id}, so no user may set their own:
 * Cognito lets a user write, with their own access token, every attribute an app client of the
 * pool allows (all of them when the client names none), and at self sign-up too. Run at every
 * deploy (the schema migration's custom resource): the stack fails while any app client of the
 * pool lets users write the attribute, unless the attribute is immutable and only administrators
 * create users.
 */
public final class TenantClaimGuard {
    public static final String ATTRIBUTE = "custom:tenant_id";

    private TenantClaimGuard() {}

    /** What lets a user choose their tenant, one sentence each; empty when nothing does. */
    public static List<String> problems(JsonNode userPool, List<JsonNode> clients) {
        List<String> out = new ArrayList<>();
        JsonNode attribute = null;
        for (JsonNode a : userPool.path("SchemaAttributes")) if (ATTRIBUTE.equals(a.path("Name").asText())) attribute = a;
        if (attribute == null) {
            out.add("the user pool has no " + ATTRIBUTE + " attribute to take the tenant from");
            return out;
        }
        boolean mutable = attribute.path("Mutable").asBoolean(true);
        boolean selfSignUp = !userPool.path("AdminCreateUserConfig").path("AllowAdminCreateUserOnly").asBoolean(false);
        for (JsonNode client : clients) {
            JsonNode write = client.path("WriteAttributes");
            boolean writes = write.isMissingNode() || write.isNull() || write.isEmpty();
            for (JsonNode w : write) if (ATTRIBUTE.equals(w.asText())) writes = true;
            if (!writes) continue;
            String name = "app client " + client.path("ClientName").asText("?") + " (" + client.path("ClientId").asText("?") + ")";
            if (mutable) {
                out.add(name + " lets users write " + ATTRIBUTE + (write.isMissingNode() || write.isEmpty() ? " (it names no WriteAttributes, so all are writable)" : ""));
            } else if (selfSignUp) {
                out.add(name + " lets users set " + ATTRIBUTE + " when they sign themselves up");
            }
        }
        return out;
    }

    /** Reads the pool and each of its app clients, and returns {@link #problems}. */
    public static List<String> check(AwsJsonCall cognito, String userPoolId) throws IOException {
        JsonNode pool = cognito.call("AWSCognitoIdentityProviderService.DescribeUserPool", Map.of("UserPoolId", userPoolId)).path("UserPool");
        List<JsonNode> clients = new ArrayList<>();
        String next = null;
        do {
            Map<String, Object> req = new HashMap<>(Map.of("UserPoolId", userPoolId, "MaxResults", 60));
            if (next != null) req.put("NextToken", next);
            JsonNode page = cognito.call("AWSCognitoIdentityProviderService.ListUserPoolClients", req);
            for (JsonNode c : page.path("UserPoolClients")) {
                clients.add(cognito.call("AWSCognitoIdentityProviderService.DescribeUserPoolClient",
                        Map.of("UserPoolId", userPoolId, "ClientId", c.path("ClientId").asText())).path("UserPoolClient"));
            }
            next = page.hasNonNull("NextToken") ? page.get("NextToken").asText() : null;
        } while (next != null);
        return problems(pool, clients);
    }
}
