package org.mcsfhir.server.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The SMART on FHIR resource scopes a token grants, v1 ({@code system/Observation.write}, {@code user/*.read}) and v2
 * ({@code system/Observation.cu}, {@code user/*.rs}). {@code user/} and {@code system/} are treated alike (every client
 * here is a backend service); {@code patient/} scopes need a launch context this server does not offer and grant
 * nothing; v2 scopes with a query ({@code ?category=...}) are not supported and grant nothing rather than too much.
 */
public final class SmartScopes {

    /** SMART v2 permissions; v1 {@code read} = rs, {@code write} = cud, {@code *} = cruds. */
    public enum Permission {
        CREATE('c'),
        READ('r'),
        UPDATE('u'),
        DELETE('d'),
        SEARCH('s');

        private final char letter;

        Permission(char letter) {
            this.letter = letter;
        }
    }

    private static final String ANY_TYPE = "*";

    private final Map<String, EnumSet<Permission>> byType;

    private SmartScopes(Map<String, EnumSet<Permission>> byType) {
        this.byType = byType;
    }

    public static SmartScopes none() {
        return new SmartScopes(Map.of());
    }

    public static SmartScopes parse(Collection<String> scopes) {
        Map<String, EnumSet<Permission>> byType = new HashMap<>();
        for (String scope : scopes) {
            parseOne(scope.trim(), byType);
        }
        return new SmartScopes(byType);
    }

    private static void parseOne(String scope, Map<String, EnumSet<Permission>> byType) {
        int slash = scope.indexOf('/');
        int dot = scope.lastIndexOf('.');
        if (slash < 0 || dot < slash || scope.contains("?")) {
            return;
        }
        String context = scope.substring(0, slash);
        if (!context.equals("system") && !context.equals("user")) {
            return;
        }
        String type = scope.substring(slash + 1, dot);
        EnumSet<Permission> permissions = permissions(scope.substring(dot + 1));
        if (type.isEmpty() || permissions.isEmpty()) {
            return;
        }
        byType.computeIfAbsent(type, t -> EnumSet.noneOf(Permission.class)).addAll(permissions);
    }

    private static EnumSet<Permission> permissions(String action) {
        switch (action) {
            case "read":
                return EnumSet.of(Permission.READ, Permission.SEARCH);
            case "write":
                return EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE);
            case "*":
                return EnumSet.allOf(Permission.class);
            default:
                return v2Permissions(action);
        }
    }

    /** v2 letters must appear in the order c, r, u, d, s, each at most once; anything else is not a scope. */
    private static EnumSet<Permission> v2Permissions(String action) {
        EnumSet<Permission> permissions = EnumSet.noneOf(Permission.class);
        int next = 0;
        Permission[] order = Permission.values();
        for (char letter : action.toCharArray()) {
            while (next < order.length && order[next].letter != letter) {
                next++;
            }
            if (next == order.length) {
                return EnumSet.noneOf(Permission.class);
            }
            permissions.add(order[next++]);
        }
        return permissions;
    }

    public boolean allows(String resourceType, Permission permission) {
        return has(byType.get(resourceType), permission) || has(byType.get(ANY_TYPE), permission);
    }

    public boolean allowsAny(String resourceType, Set<Permission> permissions) {
        return permissions.stream().anyMatch(permission -> allows(resourceType, permission));
    }

    public boolean isEmpty() {
        return byType.isEmpty();
    }

    private static boolean has(EnumSet<Permission> granted, Permission permission) {
        return granted != null && granted.contains(permission);
    }

    @Override
    public String toString() {
        return byType.toString();
    }
}
