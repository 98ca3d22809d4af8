package io.frostbyte.export.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.aws.AwsJsonCall;
import io.frostbyte.export.testing.Moto;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The deploy-time guard against a user pool in moto's Cognito, through the signed JSON calls it makes in Lambda. */
class TenantClaimGuardIT {
    @Test
    void check_aClientWithDefaultWriteAttributesAppears_named() throws Exception {
        AwsJsonCall cognito = new AwsJsonCall("cognito-idp", "us-east-1", Optional.of(Moto.endpoint()));
        String pool = cognito.call("AWSCognitoIdentityProviderService.CreateUserPool", Map.of("PoolName", "frostbyte-it",
                "Schema", List.of(Map.of("Name", "tenant_id", "AttributeDataType", "String", "Mutable", true))))
                .path("UserPool").path("Id").asText();
        cognito.call("AWSCognitoIdentityProviderService.CreateUserPoolClient", Map.of("UserPoolId", pool, "ClientName", "tenants",
                "WriteAttributes", List.of("email", "name"), "ReadAttributes", List.of("email", "custom:tenant_id")));
        assertEquals(List.of(), TenantClaimGuard.check(cognito, pool));
        String legacy = cognito.call("AWSCognitoIdentityProviderService.CreateUserPoolClient", Map.of("UserPoolId", pool, "ClientName", "legacy-web"))
                .path("UserPoolClient").path("ClientId").asText();
        List<String> problems = TenantClaimGuard.check(cognito, pool);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("legacy-web (" + legacy + ")"), problems.get(0));
    }
}
