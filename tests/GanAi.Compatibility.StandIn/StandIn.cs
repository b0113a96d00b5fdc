using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;

// The shapes GanAi.dll's types are built on; no behaviour. Member lists follow what GanAi.dll
// derives from or implements (a missing abstract member would fail its type's load).
namespace System.Management.Automation
{
    public abstract class Cmdlet
    {
        protected virtual void BeginProcessing() { }
        protected virtual void ProcessRecord() { }
        protected virtual void EndProcessing() { }
        protected virtual void StopProcessing() { }
    }

    public abstract class PSCmdlet : Cmdlet
    {
    }

    public struct SwitchParameter
    {
        public bool IsPresent { get; set; }
        public static implicit operator bool(SwitchParameter value) => value.IsPresent;
    }

    public interface IModuleAssemblyInitializer
    {
        void OnImport();
    }

    public interface IModuleAssemblyCleanup
    {
        void OnRemove(PSModuleInfo psModuleInfo);
    }

    public sealed class PSModuleInfo
    {
    }

    public class EngineIntrinsics
    {
    }

    public abstract class ArgumentTransformationAttribute : Attribute
    {
        public abstract object Transform(EngineIntrinsics engineIntrinsics, object inputData);
    }

    public class ArgumentTransformationMetadataException : Exception
    {
        public ArgumentTransformationMetadataException(string message) : base(message) { }
    }

    public class PSObject
    {
    }

    public class PSAdaptedProperty
    {
        public PSAdaptedProperty(string name, object tag)
        {
            Name = name;
            Tag = tag;
        }

        public string Name { get; }
        public object Tag { get; }
        public object BaseObject { get; internal set; }
    }

    public abstract class PSPropertyAdapter
    {
        public virtual Collection<string> GetTypeNameHierarchy(object baseObject) => new Collection<string>();
        public abstract Collection<PSAdaptedProperty> GetProperties(object baseObject);
        public abstract PSAdaptedProperty GetProperty(object baseObject, string propertyName);
        public abstract bool IsSettable(PSAdaptedProperty adaptedProperty);
        public abstract bool IsGettable(PSAdaptedProperty adaptedProperty);
        public abstract object GetPropertyValue(PSAdaptedProperty adaptedProperty);
        public abstract void SetPropertyValue(PSAdaptedProperty adaptedProperty, object value);
        public abstract string GetPropertyTypeName(PSAdaptedProperty adaptedProperty);
    }

    public class CompletionResult
    {
    }

    public interface IArgumentCompleter
    {
        IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, Language.CommandAst commandAst, IDictionary fakeBoundParameters);
    }
}

namespace System.Management.Automation.Language
{
    public class CommandAst
    {
    }
}
