using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace AkkaRedis.Tests.Unit.Architecture;

/// <summary>A type as the layering test names it: its namespace (a nested type's is its outermost type's) and name.</summary>
public readonly record struct TypeName(string Namespace, string Name);

/// <summary>
/// Every type one assembly's types reference, read with System.Reflection.Metadata: base types and interfaces,
/// field types, method signatures, local variables, and the tokens of every IL instruction (calls, field accesses,
/// allocations, casts, ldtoken...). Compiler-generated types (closures, state machines) count as their outer type.
/// </summary>
public static class AssemblyReferences
{
    public static List<(TypeName From, TypeName To, string Where)> Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var provider = new NamesProvider(md);
        var result = new List<(TypeName, TypeName, string)>();
        foreach (var handle in md.TypeDefinitions)
        {
            var def = md.GetTypeDefinition(handle);
            var from = provider.Name(handle);
            void Add(IEnumerable<TypeName> names, string where)
            {
                foreach (var to in names)
                    if (to.Namespace.Length > 0) result.Add((from, to, where));
            }

            if (!def.BaseType.IsNil) Add(provider.Of(def.BaseType), "base type");
            foreach (var i in def.GetInterfaceImplementations()) Add(provider.Of(md.GetInterfaceImplementation(i).Interface), "interface");
            foreach (var f in def.GetFields())
            {
                var field = md.GetFieldDefinition(f);
                Add(field.DecodeSignature(provider, null), $"field {md.GetString(field.Name)}");
            }
            foreach (var m in def.GetMethods())
            {
                var method = md.GetMethodDefinition(m);
                var name = md.GetString(method.Name);
                var sig = method.DecodeSignature(provider, null);
                Add(sig.ReturnType.Concat(sig.ParameterTypes.SelectMany(p => p)), $"signature of {name}");
                if (method.RelativeVirtualAddress == 0) continue;
                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil)
                {
                    var locals = md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null);
                    Add(locals.SelectMany(l => l), $"local of {name}");
                }
                var il = body.GetILReader();
                while (il.RemainingBytes > 0)
                {
                    var token = NextToken(ref il);
                    if (token != 0) Add(provider.OfToken(token), $"il of {name}");
                }
            }
        }
        return result;
    }

    /// <summary>Decodes one instruction; returns its metadata token, or 0 when its operand is not one.</summary>
    private static int NextToken(ref BlobReader il)
    {
        int code = il.ReadByte();
        if (code == 0xFE) code = 0xFE00 | il.ReadByte();
        var op = (ILOpCode)code;
        switch (op)
        {
            case ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Jmp or ILOpCode.Ldftn or ILOpCode.Ldvirtftn
                or ILOpCode.Ldfld or ILOpCode.Ldflda or ILOpCode.Stfld or ILOpCode.Ldsfld or ILOpCode.Ldsflda or ILOpCode.Stsfld
                or ILOpCode.Ldtoken or ILOpCode.Box or ILOpCode.Unbox or ILOpCode.Unbox_any or ILOpCode.Castclass or ILOpCode.Isinst
                or ILOpCode.Newarr or ILOpCode.Ldelem or ILOpCode.Stelem or ILOpCode.Ldelema or ILOpCode.Initobj or ILOpCode.Constrained
                or ILOpCode.Sizeof or ILOpCode.Ldobj or ILOpCode.Stobj or ILOpCode.Cpobj or ILOpCode.Mkrefany or ILOpCode.Refanyval:
                return il.ReadInt32();
            case ILOpCode.Switch:
                var n = il.ReadInt32();
                il.Offset += 4 * n;
                return 0;
        }
        il.Offset += OperandSize(op);
        return 0;
    }

    private static int OperandSize(ILOpCode op) => op switch
    {
        ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldloc_s or ILOpCode.Ldloca_s or ILOpCode.Stloc_s
            or ILOpCode.Ldc_i4_s or ILOpCode.Unaligned or ILOpCode.Br_s or ILOpCode.Brfalse_s or ILOpCode.Brtrue_s
            or ILOpCode.Beq_s or ILOpCode.Bge_s or ILOpCode.Bgt_s or ILOpCode.Ble_s or ILOpCode.Blt_s or ILOpCode.Bne_un_s
            or ILOpCode.Bge_un_s or ILOpCode.Bgt_un_s or ILOpCode.Ble_un_s or ILOpCode.Blt_un_s or ILOpCode.Leave_s => 1,
        ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc => 2,
        ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4 or ILOpCode.Ldstr or ILOpCode.Calli or ILOpCode.Br or ILOpCode.Brfalse
            or ILOpCode.Brtrue or ILOpCode.Beq or ILOpCode.Bge or ILOpCode.Bgt or ILOpCode.Ble or ILOpCode.Blt or ILOpCode.Bne_un
            or ILOpCode.Bge_un or ILOpCode.Bgt_un or ILOpCode.Ble_un or ILOpCode.Blt_un or ILOpCode.Leave => 4,
        ILOpCode.Ldc_i8 or ILOpCode.Ldc_r8 => 8,
        _ => 0,
    };

    /// <summary>Signature decoding into the type names a signature mentions.</summary>
    private sealed class NamesProvider(MetadataReader md) : ISignatureTypeProvider<ImmutableArray<TypeName>, object?>
    {
        public TypeName Name(TypeDefinitionHandle handle)
        {
            var def = md.GetTypeDefinition(handle);
            var outer = def;
            while (outer.GetDeclaringType() is { IsNil: false } declaring) outer = md.GetTypeDefinition(declaring);
            return new TypeName(md.GetString(outer.Namespace), md.GetString(outer.Name) + (outer.Equals(def) ? "" : "+" + md.GetString(def.Name)));
        }

        private TypeName Name(TypeReferenceHandle handle)
        {
            var reference = md.GetTypeReference(handle);
            var outer = reference;
            while (outer.ResolutionScope.Kind == HandleKind.TypeReference) outer = md.GetTypeReference((TypeReferenceHandle)outer.ResolutionScope);
            return new TypeName(md.GetString(outer.Namespace), md.GetString(reference.Name));
        }

        public ImmutableArray<TypeName> Of(EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => [Name((TypeDefinitionHandle)handle)],
            HandleKind.TypeReference => [Name((TypeReferenceHandle)handle)],
            HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null),
            _ => [],
        };

        public ImmutableArray<TypeName> OfToken(int token)
        {
            var handle = MetadataTokens.EntityHandle(token);
            switch (handle.Kind)
            {
                case HandleKind.MethodDefinition:
                    return Of(md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                case HandleKind.FieldDefinition:
                    return Of(md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                case HandleKind.MemberReference:
                    var member = md.GetMemberReference((MemberReferenceHandle)handle);
                    return member.Parent.Kind is HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification
                        ? Of(member.Parent) : [];
                case HandleKind.MethodSpecification:
                    var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    return [.. OfToken(MetadataTokens.GetToken(spec.Method)), .. spec.DecodeSignature(this, null).SelectMany(t => t)];
                case HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification:
                    return Of(handle);
                default:
                    return [];
            }
        }

        public ImmutableArray<TypeName> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];
        public ImmutableArray<TypeName> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [Name(handle)];
        public ImmutableArray<TypeName> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [Name(handle)];
        public ImmutableArray<TypeName> GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            Of(handle);
        public ImmutableArray<TypeName> GetSZArrayType(ImmutableArray<TypeName> elementType) => elementType;
        public ImmutableArray<TypeName> GetArrayType(ImmutableArray<TypeName> elementType, ArrayShape shape) => elementType;
        public ImmutableArray<TypeName> GetByReferenceType(ImmutableArray<TypeName> elementType) => elementType;
        public ImmutableArray<TypeName> GetPointerType(ImmutableArray<TypeName> elementType) => elementType;
        public ImmutableArray<TypeName> GetPinnedType(ImmutableArray<TypeName> elementType) => elementType;
        public ImmutableArray<TypeName> GetGenericInstantiation(ImmutableArray<TypeName> genericType, ImmutableArray<ImmutableArray<TypeName>> typeArguments) =>
            [.. genericType, .. typeArguments.SelectMany(t => t)];
        public ImmutableArray<TypeName> GetGenericMethodParameter(object? context, int index) => [];
        public ImmutableArray<TypeName> GetGenericTypeParameter(object? context, int index) => [];
        public ImmutableArray<TypeName> GetFunctionPointerType(MethodSignature<ImmutableArray<TypeName>> signature) =>
            [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];
        public ImmutableArray<TypeName> GetModifiedType(ImmutableArray<TypeName> modifier, ImmutableArray<TypeName> unmodifiedType, bool isRequired) => unmodifiedType;
    }
}
