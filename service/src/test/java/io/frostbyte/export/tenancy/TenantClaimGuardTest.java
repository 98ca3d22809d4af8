package io.frostbyte.export.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantClaimGuardTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    static JsonNode pool(boolean mutable, boolean adminOnly) throws Exception {
        return json("{'SchemaAttributes':[{'Name':'email'},{'Name':'custom:tenant_id','Mutable':" + mutable + "}],"
                + "'AdminCreateUserConfig':{'AllowAdminCreateUserOnly':" + adminOnly + "}}");
    }

    @Test
    void problems_clientsThatLetUsersWriteTheTenant_named() throws Exception {
        JsonNode ours = json("{'ClientName':'tenants','ClientId':'c1','WriteAttributes':['email','name']}");
        JsonNode defaults = json("{'ClientName':'legacy-web','ClientId':'c2'}");
        JsonNode explicit = json("{'ClientName':'admin-console','ClientId':'c3','WriteAttributes':['custom:tenant_id']}");
        assertEquals(List.of(), TenantClaimGuard.problems(pool(true, false), List.of(ours)));
        List<String> p = TenantClaimGuard.problems(pool(true, false), List.of(ours, defaults, explicit));
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).contains("legacy-web (c2)") && p.get(0).contains("all are writable"), p.get(0));
        assertTrue(p.get(1).contains("admin-console (c3)"), p.get(1));
    }

    @Test
    void problems_immutableAttribute_onlySelfSignUpCanSetIt() throws Exception {
        JsonNode defaults = json("{'ClientName':'legacy-web','ClientId':'c2'}");
        assertEquals(List.of(), TenantClaimGuard.problems(pool(false, true), List.of(defaults)), "set once, by administrators only");
        assertTrue(TenantClaimGuard.problems(pool(false, false), List.of(defaults)).get(0).contains("sign themselves up"));
        assertTrue(TenantClaimGuard.problems(json("{'SchemaAttributes':[{'Name':'email'}]}"), List.of()).get(0).contains("no custom:tenant_id"));
    }
}
