using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace GanAi.Compatibility.Tests;

/// <summary>
/// The metadata closure of what Windows PowerShell 5.1 loads of a module folder, against a .NET
/// Framework's reference assemblies: every AssemblyRef, TypeRef and MemberRef of each of those
/// assemblies must resolve, the way .NET Framework and the module's resolve handler would bind it.
/// </summary>
/// <remarks>
/// What 5.1 loads: the module folder's own assemblies and those of its dependencies folder. Not
/// dependencies/net8.0, which only the PowerShell 7 path reads (ModuleInitializer loads
/// GanAi.Isolation from there only on .NET, and the load context looks there first); every assembly
/// of the 5.1 set must also target netstandard2.0 or .NET Framework, not .NETCoreApp.
/// How a reference binds, as modelled here (the CLR's own binder is not run, docs/installing.md):
/// System.Management.Automation is PowerShell's (its reference assembly, PowerShellStandard.Library,
/// is the surface 5.1 has); an assembly the framework has at the requested version or later is the
/// framework's (unification); otherwise the module's file of that name, which the module's resolve
/// handler answers whatever the version asked (a different version is a mismatch, which must be on
/// the allow-list); otherwise nothing, a failure.
/// </remarks>
internal sealed class FrameworkClosure : IDisposable
{
    public enum Source { Framework, PowerShell, Module }

    /// <summary>One request for an assembly, and what answers it.</summary>
    public sealed record Binding(string Referrer, AssemblyName Requested, Source Source, string Path, Version Version);

    private readonly Dictionary<string, (string Path, Version Version)> _framework;
    private readonly Dictionary<string, (string Path, Version Version)> _module;
    private readonly string _powerShell;
    private readonly MetadataLoadContext _context;
    private readonly Dictionary<string, Assembly> _loaded = new(StringComparer.Ordinal);

    private FrameworkClosure(string moduleFolder, string frameworkFolder, string powerShellReference)
    {
        _framework = Index(Directory.EnumerateFiles(frameworkFolder, "*.dll")
            .Concat(Directory.Exists(System.IO.Path.Combine(frameworkFolder, "Facades")) ? Directory.EnumerateFiles(System.IO.Path.Combine(frameworkFolder, "Facades"), "*.dll") : []), frameworkFolder: true);
        ModuleAssemblies = FiveOneSet(moduleFolder);
        _module = Index(ModuleAssemblies);
        _powerShell = powerShellReference;
        _context = new MetadataLoadContext(new Resolver(this), "mscorlib");
    }

    /// <summary>What Windows PowerShell 5.1 would load of the module folder (module folder first).</summary>
    public IReadOnlyList<string> ModuleAssemblies { get; }

    /// <summary>Every assembly request of the module's assemblies and what answered it.</summary>
    public List<Binding> Bindings { get; } = new();

    /// <summary>Every reference that does not resolve, each a line that says which and from where.</summary>
    public List<string> Problems { get; } = new();

    /// <summary>The module's files answered at a version other than the one asked: (name, requested, shipped).</summary>
    public IEnumerable<(string Name, Version Requested, Version Shipped)> Mismatches =>
        Bindings.Where(b => b.Source == Source.Module && b.Requested.Version is { } v && v != b.Version)
            .Select(b => (b.Requested.Name!, b.Requested.Version!, b.Version)).Distinct();

    public static FrameworkClosure Check(string moduleFolder, string frameworkFolder, string powerShellReference)
    {
        var closure = new FrameworkClosure(moduleFolder, frameworkFolder, powerShellReference);
        foreach (var path in closure.ModuleAssemblies) closure.CheckAssembly(path);
        return closure;
    }

    /// <summary>The module folder's and its dependencies folder's assemblies; never dependencies/net8.0.</summary>
    public static IReadOnlyList<string> FiveOneSet(string moduleFolder) =>
        Directory.EnumerateFiles(moduleFolder, "*.dll").OrderBy(p => p, StringComparer.Ordinal)
            .Concat(Directory.EnumerateFiles(System.IO.Path.Combine(moduleFolder, "dependencies"), "*.dll").OrderBy(p => p, StringComparer.Ordinal))
            .ToList();

    public void Dispose() => _context.Dispose();

    /// <summary>
    /// Each assembly's name and version by simple name. The framework folder holds two files that are
    /// not assemblies (System.EnterpriseServices.Thunk and .Wrapper, native): <paramref name="frameworkFolder"/>
    /// skips them. A module file that is not an assembly throws: 5.1 would fail to load it.
    /// </summary>
    private static Dictionary<string, (string, Version)> Index(IEnumerable<string> paths, bool frameworkFolder = false)
    {
        var index = new Dictionary<string, (string, Version)>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            AssemblyName name;
            try
            {
                name = AssemblyName.GetAssemblyName(path);
            }
            catch (BadImageFormatException) when (frameworkFolder)
            {
                continue;
            }
            index.TryAdd(name.Name!, (path, name.Version ?? new Version(0, 0, 0, 0)));
        }
        return index;
    }

    /// <summary>Binds a request as .NET Framework with the module's resolve handler would; null if nothing answers.</summary>
    private (Source Source, string Path, Version Version)? Bind(AssemblyName requested)
    {
        var name = requested.Name!;
        var version = requested.Version ?? new Version(0, 0, 0, 0);
        if (string.Equals(name, "System.Management.Automation", StringComparison.OrdinalIgnoreCase))
            return (Source.PowerShell, _powerShell, new Version(3, 0, 0, 0));
        if (_framework.TryGetValue(name, out var framework) && framework.Version >= version) return (Source.Framework, framework.Path, framework.Version);
        if (_module.TryGetValue(name, out var module)) return (Source.Module, module.Path, module.Version);
        return null;
    }

    /// <summary>The context is a parameter: its constructor already asks the resolver for mscorlib.</summary>
    private Assembly Load(MetadataLoadContext context, string path)
    {
        if (!_loaded.TryGetValue(path, out var assembly)) _loaded[path] = assembly = context.LoadFromAssemblyPath(path);
        return assembly;
    }

    private sealed class Resolver(FrameworkClosure closure) : MetadataAssemblyResolver
    {
        public override Assembly? Resolve(MetadataLoadContext context, AssemblyName assemblyName) =>
            closure.Bind(assemblyName) is { } bound ? closure.Load(context, bound.Path) : null;
    }

    private void CheckAssembly(string path)
    {
        var referrer = System.IO.Path.GetRelativePath(System.IO.Path.GetDirectoryName(ModuleAssemblies[0])!, path);
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();

        if (TargetFramework(reader) is { } target && target.StartsWith(".NETCoreApp", StringComparison.Ordinal))
            Problems.Add($"{referrer}: built for {target}, which Windows PowerShell 5.1 cannot load");

        var assemblies = new Dictionary<AssemblyReferenceHandle, Assembly?>();
        foreach (var handle in reader.AssemblyReferences)
        {
            var requested = reader.GetAssemblyReference(handle).GetAssemblyName();
            if (Bind(requested) is { } bound)
            {
                Bindings.Add(new Binding(referrer, requested, bound.Source, bound.Path, bound.Version));
                assemblies[handle] = Load(_context, bound.Path);
            }
            else
            {
                var framework = _framework.TryGetValue(requested.Name!, out var f) ? $" (the framework has {f.Version})" : string.Empty;
                Problems.Add($"{referrer}: assembly {requested.FullName} is neither in the framework{framework} nor in the module");
                assemblies[handle] = null;
            }
        }

        var types = new Dictionary<TypeReferenceHandle, Type?>();
        foreach (var handle in reader.TypeReferences) types[handle] = ResolveType(reader, handle, assemblies, types, referrer);

        var signatures = new CanonicalSignatures();
        var roots = new SignatureRoots();
        foreach (var handle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(handle);
            Type? parent = member.Parent.Kind switch
            {
                HandleKind.TypeReference => types[(TypeReferenceHandle)member.Parent],
                HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)member.Parent).DecodeSignature(roots, null) is { IsNil: false, Kind: HandleKind.TypeReference } root
                    ? types[(TypeReferenceHandle)root] : null, // an array's methods and the module's own generic types are not looked up
                _ => null,
            };
            if (parent is null) continue; // the module's own, or a reference already reported unresolved
            var name = reader.GetString(member.Name);
            try
            {
                CheckMember(member, parent, name, signatures, referrer);
            }
            catch (FileNotFoundException ex)
            {
                // The declaring type (its base types, a candidate's signature) names an assembly that does not bind.
                Problems.Add($"{referrer}: {Canonical.Of(parent)}::{name} cannot be looked up: {ex.Message}");
            }
        }
    }

    private void CheckMember(MemberReference member, Type parent, string name, CanonicalSignatures signatures, string referrer)
    {
        if (member.GetKind() == MemberReferenceKind.Field)
        {
            var fieldType = member.DecodeFieldSignature(signatures, null);
            if (!Hierarchy(parent).Any(t => t.GetFields(Declared).Any(f => f.Name == name && Canonical.Of(f.FieldType) == fieldType)))
                Problems.Add($"{referrer}: field {fieldType} {Canonical.Of(parent)}::{name} is not in {parent.Assembly.GetName().Name}");
            return;
        }
        var signature = member.DecodeMethodSignature(signatures, null);
        if (!Hierarchy(parent).Any(t => Methods(t, name).Any(m => Matches(m, signature))))
            Problems.Add($"{referrer}: method {signature.ReturnType} {Canonical.Of(parent)}::{name}({string.Join(", ", signature.ParameterTypes)}) is not in {parent.Assembly.GetName().Name}");
    }

    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static IEnumerable<MethodBase> Methods(Type type, string name) =>
        name is ".ctor" or ".cctor" ? type.GetConstructors(Declared).Where(c => c.Name == name) : type.GetMethods(Declared).Where(m => m.Name == name);

    /// <summary>The type, its base types and (for an interface) the interfaces it extends: where a referenced member may be declared.</summary>
    private static IEnumerable<Type> Hierarchy(Type type)
    {
        for (var t = type; t != null; t = t.BaseType) yield return t;
        if (type.IsInterface) foreach (var i in type.GetInterfaces()) yield return i;
    }

    private static bool Matches(MethodBase method, MethodSignature<string> signature)
    {
        if (method.IsStatic == signature.Header.IsInstance) return false;
        if ((method.IsGenericMethodDefinition ? method.GetGenericArguments().Length : 0) != signature.GenericParameterCount) return false;
        var returns = method is MethodInfo info ? Canonical.Of(info.ReturnType) : "System.Void";
        if (returns != signature.ReturnType) return false;
        var parameters = method.GetParameters();
        return parameters.Length == signature.ParameterTypes.Length &&
            parameters.Select(p => Canonical.Of(p.ParameterType)).SequenceEqual(signature.ParameterTypes);
    }

    private Type? ResolveType(MetadataReader reader, TypeReferenceHandle handle, Dictionary<AssemblyReferenceHandle, Assembly?> assemblies, Dictionary<TypeReferenceHandle, Type?> types, string referrer)
    {
        if (types.TryGetValue(handle, out var known)) return known;
        var reference = reader.GetTypeReference(handle);
        var name = reader.GetString(reference.Name);
        var ns = reader.GetString(reference.Namespace);
        var scope = reference.ResolutionScope;
        switch (scope.Kind)
        {
            case HandleKind.AssemblyReference:
                var assembly = assemblies[(AssemblyReferenceHandle)scope];
                if (assembly is null) return null; // reported with the assembly
                var full = ns.Length == 0 ? name : ns + "." + name;
                Type? type;
                try
                {
                    type = assembly.GetType(full, throwOnError: false);
                }
                catch (FileNotFoundException ex)
                {
                    Problems.Add($"{referrer}: type {full} is forwarded by {assembly.GetName().Name} to an assembly that cannot be found ({ex.Message})");
                    return null;
                }
                if (type is null) Problems.Add($"{referrer}: type {full} is not in {assembly.GetName().Name} {assembly.GetName().Version}");
                return type;
            case HandleKind.TypeReference:
                var outer = ResolveType(reader, (TypeReferenceHandle)scope, assemblies, types, referrer);
                if (outer is null) return null;
                var nested = outer.GetNestedType(name, BindingFlags.Public | BindingFlags.NonPublic);
                if (nested is null) Problems.Add($"{referrer}: nested type {Canonical.Of(outer)}/{name} is not in {outer.Assembly.GetName().Name}");
                return nested;
            default:
                return null; // the module's own types
        }
    }

    private static string? TargetFramework(MetadataReader reader)
    {
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
            var parent = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
            if (parent.Kind != HandleKind.TypeReference || reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name) != "TargetFrameworkAttribute") continue;
            var value = attribute.DecodeValue(new AttributeArguments());
            return value.FixedArguments.Length > 0 ? value.FixedArguments[0].Value as string : null;
        }
        return null;
    }

    /// <summary>Only string arguments are read (TargetFrameworkAttribute's).</summary>
    private sealed class AttributeArguments : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSystemType() => "System.Type";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => "?";
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => "?";
        public string GetTypeFromSerializedName(string name) => name;
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;
        public bool IsSystemType(string type) => type == "System.Type";
    }

    /// <summary>The TypeReference a TypeSpec's generic instantiation is of (nil for arrays, pointers and the rest).</summary>
    private sealed class SignatureRoots : ISignatureTypeProvider<EntityHandle, object?>
    {
        public EntityHandle GetGenericInstantiation(EntityHandle genericType, ImmutableArray<EntityHandle> typeArguments) => genericType;
        public EntityHandle GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => handle;
        public EntityHandle GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => handle;
        public EntityHandle GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => default;
        public EntityHandle GetArrayType(EntityHandle elementType, ArrayShape shape) => default;
        public EntityHandle GetSZArrayType(EntityHandle elementType) => default;
        public EntityHandle GetByReferenceType(EntityHandle elementType) => default;
        public EntityHandle GetPointerType(EntityHandle elementType) => default;
        public EntityHandle GetFunctionPointerType(MethodSignature<EntityHandle> signature) => default;
        public EntityHandle GetGenericMethodParameter(object? genericContext, int index) => default;
        public EntityHandle GetGenericTypeParameter(object? genericContext, int index) => default;
        public EntityHandle GetModifiedType(EntityHandle modifier, EntityHandle unmodifiedType, bool isRequired) => unmodifiedType;
        public EntityHandle GetPinnedType(EntityHandle elementType) => elementType;
        public EntityHandle GetPrimitiveType(PrimitiveTypeCode typeCode) => default;
    }

    /// <summary>A signature's types as <see cref="Canonical"/> writes a loaded type, so the two compare as strings.</summary>
    private sealed class CanonicalSignatures : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var reference = reader.GetTypeReference(handle);
            var name = reader.GetString(reference.Name);
            return reference.ResolutionScope.Kind == HandleKind.TypeReference
                ? GetTypeFromReference(reader, (TypeReferenceHandle)reference.ResolutionScope, 0) + "/" + name
                : Canonical.Join(reader.GetString(reference.Namespace), name);
        }

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var definition = reader.GetTypeDefinition(handle);
            var name = reader.GetString(definition.Name);
            var declaring = definition.GetDeclaringType();
            return declaring.IsNil ? Canonical.Join(reader.GetString(definition.Namespace), name) : GetTypeFromDefinition(reader, declaring, 0) + "/" + name;
        }

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + Canonical.Array(shape.Rank, szArray: false);
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetFunctionPointerType(MethodSignature<string> signature) => "method*";
        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
    }
}

/// <summary>A type as text that does not depend on which assembly holds it (forwarders move types): namespace and name, nested with '/', generic parameters by position.</summary>
internal static class Canonical
{
    public static string Of(Type type)
    {
        if (type.IsGenericParameter) return (type.DeclaringMethod != null ? "!!" : "!") + type.GenericParameterPosition;
        if (type.IsByRef) return Of(type.GetElementType()!) + "&";
        if (type.IsPointer) return Of(type.GetElementType()!) + "*";
        if (type.IsArray) return Of(type.GetElementType()!) + Array(type.GetArrayRank(), type.IsSZArray);
        if (type.IsFunctionPointer) return "method*";
        // A generic type stands in a signature with its arguments (its own parameters, in its own members).
        if (type.IsGenericType) return Plain(type.IsGenericTypeDefinition ? type : type.GetGenericTypeDefinition()) + "<" + string.Join(",", type.GetGenericArguments().Select(Of)) + ">";
        return Plain(type);
    }

    private static string Plain(Type type) => type.IsNested ? Plain(type.DeclaringType!) + "/" + type.Name : Join(type.Namespace ?? string.Empty, type.Name);

    public static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

    public static string Array(int rank, bool szArray) => szArray ? "[]" : rank == 1 ? "[*]" : "[" + new string(',', rank - 1) + "]";
}
